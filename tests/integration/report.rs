//! `allot report`: the committee's HTML file — every funded project in its round's table, the
//! funding lines, both languages, escaping, no external reference, byte-identical reruns, a sweep's
//! charts (identical to `sweep --plot`) and a sweep of another scenario refused — and, in Debian's
//! headless Chromium, a page that loads without console errors and paints its funded rows.

use crate::util::{
    chromium, fixture_path, latin_words, ok, plain as allot, CHROMIUM_FLAGS, MANIFEST_DIR,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

/// The background of a funded row (`tr.funded td` in src/report/html.rs).
const FUNDED_RGB: [u8; 3] = [0xdc, 0xef, 0xdf];
const SWEEP: &[&str] = &[
    "sweep",
    "--weights",
    "dirichlet:30",
    "--samples",
    "8",
    "--budget",
    "main=800000..1200000:200000",
    "--seed",
    "3",
];

/// Writes the report of `scenario` (plus `extra` arguments) into `dir` and returns its text.
fn report(dir: &Path, scenario: &Path, extra: &[&str]) -> String {
    let out = dir.join("report.html");
    let mut args: Vec<String> = vec![
        "report".into(),
        scenario.display().to_string(),
        "-o".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    ok(&args);
    std::fs::read_to_string(out).expect("the report is written")
}

/// The HTML of round `id`'s section.
fn round_section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section class=\"round\" id=\"round-{id}\">"))
        .unwrap_or_else(|| panic!("no section for round {id}"));
    let end = start + html[start..].find("</section>").expect("section closes");
    &html[start..end]
}

/// The project ids of the rows of `class` in a section.
fn rows(section: &str, class: &str) -> Vec<String> {
    section
        .split(&format!("<tr class=\"{class}\">"))
        .skip(1)
        .filter_map(|row| {
            let at = row.find("<td class=\"id\">")? + "<td class=\"id\">".len();
            Some(row[at..at + row[at..].find('<')?].to_string())
        })
        .collect()
}

#[test]
fn every_funded_project_is_in_its_rounds_table_above_the_funding_line() {
    let dir = TempDir::new().unwrap();
    let scenario = fixture_path("small.toml");
    let cert: Value =
        serde_json::from_str(&ok(&["solve", scenario.to_str().unwrap(), "-f", "json"])).unwrap();
    let html = report(dir.path(), &scenario, &["--lang", "en"]);
    let funded = cert["funded"].as_array().unwrap();
    assert!(!funded.is_empty());
    for round in cert["rounds"].as_array().unwrap() {
        let id = round["id"].as_str().unwrap();
        let section = round_section(&html, id);
        let mut expected: Vec<String> = funded
            .iter()
            .filter(|f| f["round"] == id)
            .map(|f| f["project"].as_str().unwrap().to_string())
            .collect();
        let mut shown = rows(section, "funded");
        expected.sort();
        shown.sort();
        assert_eq!(shown, expected, "funded rows of round {id}");
        // One funding line, and no funded row below it.
        assert_eq!(section.matches("<tr class=\"line\">").count(), 1, "{id}");
        let below = &section[section.find("<tr class=\"line\">").unwrap()..];
        assert!(
            rows(below, "funded").is_empty(),
            "funded below the line in {id}"
        );
        if !expected.is_empty() {
            assert!(below.contains("funding line (score"), "{id}");
        }
    }
    // Every unfunded eligible entry says why.
    for part in html.split("<tr class=\"unfunded\">").skip(1) {
        let row = &part[..part.find("</tr>").unwrap()];
        if let Some(at) = row.find("<td class=\"reason\">") {
            assert!(
                !row[at..].starts_with("<td class=\"reason\"></td>"),
                "{row}"
            );
        }
    }
    for heading in [
        "Summary",
        "Pools",
        "Margins near the funding line",
        "Reserve lists",
    ] {
        assert!(html.contains(&format!(">{heading}</h2>")), "{heading}");
    }
    assert!(html.contains("score margin"));
    assert!(html.contains("@page { size: A4"));
}

#[test]
fn each_round_charts_every_entry_by_score_and_subsidy_with_the_funded_marked() {
    let dir = TempDir::new().unwrap();
    let html = report(dir.path(), &fixture_path("small.toml"), &["--lang", "zh"]);
    for id in ["big", "small"] {
        let section = round_section(&html, id);
        let chart = &section[section
            .find("<div class=\"chart value\">")
            .unwrap_or_else(|| panic!("round {id} has no value chart"))..];
        assert!(
            chart.contains("补助金额（万元）") && chart.contains("得分"),
            "{id}"
        );
        // One point per entry of the table, three more in the legend; the funded ones filled
        // in the funded colour (#1B7F5F), each labelled with its id in a small round.
        let entries = ["funded", "unfunded", "elsewhere"]
            .iter()
            .map(|c| rows(section, c).len())
            .sum::<usize>();
        assert_eq!(chart.matches("<circle").count(), entries + 3, "{id}");
        let funded = rows(section, "funded");
        assert_eq!(
            chart.matches("fill=\"#1B7F5F\"").count(),
            funded.len() + 1,
            "{id}"
        );
        for p in funded {
            assert!(
                chart.contains(&format!(">\n{p}\n</text>")),
                "{p} is labelled in {id}"
            );
        }
    }
}

#[test]
fn chinese_headings_and_the_default_language_of_the_scenario() {
    let dir = TempDir::new().unwrap();
    let zh = report(dir.path(), &fixture_path("small.toml"), &["--lang", "zh"]);
    for heading in ["概要", "资金池", "资助线附近项目的边际", "候补名单"] {
        assert!(zh.contains(&format!(">{heading}</h2>")), "{heading}");
    }
    assert!(zh.contains("资助线（得分"));
    assert!(zh.contains("<html lang=\"zh-CN\">"));
    // The bundled scenario says `lang = "zh"`; --near 0 skips the margins (fast).
    let bundled = Path::new(MANIFEST_DIR).join("scenarios/quzhou-2019");
    let default = report(dir.path(), &bundled, &["--near", "0"]);
    assert!(default.contains("<html lang=\"zh-CN\">"));
    assert!(default.contains(">候补名单</h2>"));
}

#[test]
fn names_are_escaped_and_nothing_is_fetched() {
    let dir = TempDir::new().unwrap();
    let text = std::fs::read_to_string(fixture_path("small.toml")).unwrap();
    let nasty = r#"<script>alert("x")</script> & <img src=x onerror=1> Co's"#;
    let at = text.find("id = \"A1\"").unwrap();
    let edited = format!(
        "{}id = \"A1\"\nname = \"{}\"{}",
        &text[..at],
        nasty.replace('"', "\\\""),
        &text[at + "id = \"A1\"".len()..]
    );
    let edited = edited.replacen("name = \"small\"", "name = \"small <&> 'q'\"", 1);
    let scenario = dir.path().join("nasty.toml");
    std::fs::write(&scenario, edited).unwrap();
    let html = report(dir.path(), &scenario, &["--lang", "en"]);
    assert!(!html.contains("<script"), "raw markup in the report");
    assert!(!html.contains("<img"), "raw markup in the report");
    assert!(html.contains(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=1&gt; Co&#39;s"
    ));
    assert!(html.contains("small &lt;&amp;&gt; &#39;q&#39;"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    // No element loads anything (the name's `src=x` is text, and unquoted).
    assert!(!html.contains("src=\"") && !html.contains("href=\""));
    assert!(!html.contains("<link") && !html.contains("url("));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let dir = TempDir::new().unwrap();
    let a = report(dir.path(), &fixture_path("small.toml"), &["--lang", "zh"]);
    let b = report(dir.path(), &fixture_path("small.toml"), &["--lang", "zh"]);
    assert_eq!(a, b);
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// Runs the test's sweep of `scenario` with `extra` arguments.
fn run_sweep(scenario: &Path, extra: &[&str]) {
    let mut args: Vec<&str> = SWEEP.to_vec();
    args.push(path(scenario));
    args.extend(extra);
    ok(&args);
}

#[test]
fn a_sweep_is_charted_exactly_and_a_sweep_of_another_scenario_is_refused() {
    let dir = TempDir::new().unwrap();
    let scenario = fixture_path("small.toml");
    let sweep = dir.path().join("sweep.json");
    let plots = dir.path().join("plots");
    run_sweep(
        &scenario,
        &["-f", "json", "-o", path(&sweep), "--plot", path(&plots)],
    );
    let html = report(
        dir.path(),
        &scenario,
        &["--lang", "en", "--sweep", sweep.to_str().unwrap()],
    );
    assert!(html.contains(">Sensitivity sweep</h2>"));
    assert!(html.contains("Acceptability table"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    // The charts are those `sweep --plot` writes, rebuilt from the summary JSON.
    for name in ["acceptability", "frontier", "weights"] {
        let file = std::fs::read_to_string(plots.join(format!("{name}.svg"))).unwrap();
        let inline = file.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
        assert!(html.contains(inline.trim_end()), "{name}.svg differs");
    }
    // A shard file of the same sweep gives the same report.
    let shard = dir.path().join("shard.json");
    run_sweep(&scenario, &["--shard", "0/1", "-o", path(&shard)]);
    let from_shard = report(
        dir.path(),
        &scenario,
        &["--lang", "en", "--sweep", shard.to_str().unwrap()],
    );
    assert_eq!(from_shard, html);

    // The same sweep against another scenario: exit 2, one message, no file.
    let other = dir.path().join("other.toml");
    let text = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(
        &other,
        text.replacen("name = \"small\"", "name = \"other\"", 1),
    )
    .unwrap();
    let out = dir.path().join("refused.html");
    let (code, stdout, stderr) = allot(&[
        "report",
        other.to_str().unwrap(),
        "--sweep",
        sweep.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "stderr:\n{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.starts_with("allot: ") && stderr.contains("sweep.json"));
    assert!(stderr.contains("not of this scenario"), "{stderr}");
    assert!(!out.exists(), "a refused report left a file");
    // Not a sweep at all.
    let (code, _, stderr) = allot(&[
        "report",
        scenario.to_str().unwrap(),
        "--sweep",
        scenario.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "stderr:\n{stderr}");
    assert!(!out.exists());
}

#[test]
fn an_error_leaves_no_file() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("r.html");
    let (code, _, stderr) = allot(&[
        "report",
        dir.path().join("missing.toml").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(!out.exists());
}

/// `--time-limit`: past it no price or margin is begun, and the report says so first, in the
/// report's language; the proof itself is never cut short. A limit of a nanosecond is past once
/// the portfolio is proven, so what is left out does not depend on the machine here.
#[test]
fn a_time_limit_leaves_margins_out_and_says_so() {
    let dir = TempDir::new().unwrap();
    let scenario = fixture_path("small.toml");
    let html = report(
        dir.path(),
        &scenario,
        &["--lang", "en", "--time-limit", "1e-9"],
    );
    let note = html.find("<div class=\"whatif left-out\">Cut short by a time limit: ");
    let summary = html.find("<section class=\"summary\">");
    assert!(
        note.is_some() && note < summary,
        "the note is under the status, before the summary"
    );
    assert!(html.contains("projects near the funding lines have no margins in this report"));
    let margins = &html[html.find("<section class=\"margins\">").unwrap()..];
    let margins = &margins[..margins.find("</section>").unwrap()];
    assert!(!margins.contains("<tr class="), "no margin rows: {margins}");
    // Every funded project is still in its round's table.
    let cert: Value =
        serde_json::from_str(&ok(&["solve", scenario.to_str().unwrap(), "-f", "json"])).unwrap();
    for c in cert["funded"].as_array().unwrap() {
        assert!(html.contains(c["project"].as_str().unwrap()));
    }
    let zh = report(
        dir.path(),
        &scenario,
        &["--lang", "zh", "--time-limit", "1e-9"],
    );
    assert!(zh.contains("本报告受计算时间限制，未全部完成："), "{zh}");
    assert!(zh.contains("个未列出边际"));
    // A generous limit changes nothing.
    let whole = report(dir.path(), &scenario, &["--lang", "en"]);
    assert!(!whole.contains("left-out"));
    for generous in ["3600", "1e300"] {
        let limited = ["--lang", "en", "--time-limit", generous];
        assert_eq!(report(dir.path(), &scenario, &limited), whole);
    }
    // A lock that binds: its warning, or, past the limit, a warning that it was not checked.
    let locks = fixture_path("locks.toml");
    let lock = ["--lock", "P6", "--lang", "en"];
    let checked = report(dir.path(), &locks, &lock);
    assert!(checked.contains("the must-fund lock of P6 in r5 binds"));
    let cut = report(
        dir.path(),
        &locks,
        &[&lock[..], &["--time-limit", "1e-9"]].concat(),
    );
    assert!(!cut.contains("the must-fund lock of P6 in r5 binds"));
    assert!(cut.contains(
        "the time limit came before checking whether 1 committee decision (a round floor or a must-fund lock) binds"
    ));
    let out = dir.path().join("r.html");
    let (code, _, stderr) = allot(&[
        "report",
        scenario.to_str().unwrap(),
        "--time-limit",
        "0",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--time-limit: 0 is not a positive number of seconds"));
    assert!(!out.exists());
}

// ---------------------------------------------------------------------------------------------
// The page in a real browser: Debian's chromium, headless
// ---------------------------------------------------------------------------------------------

/// Runs headless chromium on `file` with `args` and a new empty profile folder; returns (stdout,
/// stderr with the console messages).
fn run_chromium(browser: &Path, profile: &Path, file: &Path, args: &[&str]) -> (String, String) {
    std::fs::create_dir(profile).expect("a new profile folder");
    let out = Command::new(browser)
        .args(CHROMIUM_FLAGS)
        .args(["--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "chromium failed:\n{stderr}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// Console output in chromium's log (`INFO:CONSOLE:…` or `CONSOLE(…)` lines), an uncaught
/// exception or a resource that failed to load: the report has no script, so any is a fault.
fn console_trouble(stderr: &str) -> bool {
    [
        ":CONSOLE",
        "CONSOLE(",
        "Uncaught",
        "Failed to load resource",
    ]
    .iter()
    .any(|bad| stderr.contains(bad))
}

#[test]
fn chromium_loads_the_report_without_console_errors_and_paints_the_funded_rows() {
    let Some(browser) = chromium() else { return };
    let dir = TempDir::new().unwrap();
    let scenario = fixture_path("small.toml");
    let html = report(dir.path(), &scenario, &["--lang", "en"]);
    let file = dir.path().join("report.html");
    let funded_rows = html.matches("<tr class=\"funded\">").count();
    assert!(funded_rows > 0);

    let png = dir.path().join("shot.png");
    let (_, stderr) = run_chromium(
        &browser,
        &dir.path().join("profile"),
        &file,
        &[
            "--window-size=1200,4000",
            &format!("--screenshot={}", png.display()),
        ],
    );
    assert!(
        !console_trouble(&stderr),
        "chromium reported console messages:\n{stderr}"
    );
    // The check itself sees a script error (so a clean run means something).
    let bad = dir.path().join("bad.html");
    std::fs::write(&bad, "<!DOCTYPE html><p>x</p><script>notDefined()</script>").unwrap();
    let shot = format!("--screenshot={}", dir.path().join("bad.png").display());
    let (_, stderr) = run_chromium(&browser, &dir.path().join("profile-bad"), &bad, &[&shot]);
    assert!(console_trouble(&stderr), "a script error went unseen");

    // The rendered DOM has the funded rows (the parser kept the tables whole).
    let (dom, _) = run_chromium(
        &browser,
        &dir.path().join("profile-dom"),
        &file,
        &["--dump-dom"],
    );
    assert_eq!(
        dom.matches("<tr class=\"funded\">").count(),
        funded_rows,
        "the rendered DOM lost funded rows"
    );

    // The screenshot: the funded rows' green fills whole table-wide bands.
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png).expect("chromium wrote the screenshot"),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(
        channels >= 3,
        "unexpected PNG colour type {:?}",
        info.color_type
    );
    let (w, h) = (info.width as usize, info.height as usize);
    let pixel = |x: usize, y: usize| {
        let at = (y * w + x) * channels;
        [buf[at], buf[at + 1], buf[at + 2]]
    };
    // Rows (of pixels) that are mostly funded-green: funded table rows.
    let green_lines = (0..h)
        .filter(|&y| (0..w).filter(|&x| pixel(x, y) == FUNDED_RGB).count() > w / 3)
        .count();
    assert!(
        green_lines >= 10 * funded_rows,
        "only {green_lines} pixel rows of funded green for {funded_rows} funded rows"
    );
    // The page is not blank: the dark table headers are there too.
    let header_lines = (0..h)
        .filter(|&y| {
            (0..w)
                .filter(|&x| pixel(x, y) == [0x1f, 0x3a, 0x68])
                .count()
                > w / 3
        })
        .count();
    assert!(header_lines >= 10, "no table headers painted");
}

#[test]
fn every_application_and_every_committee_decision_is_listed() {
    let dir = TempDir::new().unwrap();
    let scenario = fixture_path("small.toml");
    let cert: Value =
        serde_json::from_str(&ok(&["solve", scenario.to_str().unwrap(), "-f", "json"])).unwrap();
    let html = report(
        dir.path(),
        &scenario,
        &["--lang", "zh", "--lock", "A2:big", "--exclude", "A3"],
    );
    let start = html.find("<section class=\"applications\">").unwrap();
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    let projects = cert["projects"].as_array().unwrap();
    let listed: Vec<String> = ["funded", "unfunded", "ineligible"]
        .iter()
        .flat_map(|c| rows(section, c))
        .collect();
    assert_eq!(listed.len(), projects.len(), "one row per application");
    for p in projects {
        let id = p["id"].as_str().unwrap();
        assert!(listed.iter().any(|l| l == id), "{id} is listed");
    }
    // Ineligible rows give their reasons; the locked project says who decided.
    assert!(section.contains("评审委员会决定"), "{section}");
    let committee = &html[html.find("<section class=\"committee\">").unwrap()..start];
    assert!(
        committee.contains("A2") && committee.contains("必须在"),
        "{committee}"
    );
    assert!(
        committee.contains("A3") && committee.contains("不予资助"),
        "{committee}"
    );
}

/// Pages of a PDF Chromium printed (its page objects are written uncompressed).
fn pdf_pages(pdf: &[u8]) -> usize {
    let marker = b"/Type /Page";
    pdf.windows(marker.len() + 1)
        .filter(|w| &w[..marker.len()] == marker && w[marker.len()] != b's')
        .count()
}

#[test]
fn the_summary_prints_on_one_a4_page_and_the_report_follows_it() {
    let Some(browser) = chromium() else { return };
    let dir = TempDir::new().unwrap();
    for lang in ["zh", "en"] {
        // The bundled scenario's report, and the same with everything after the summary hidden.
        let full = dir.path().join(format!("report-{lang}.html"));
        ok(&["report", "--lang", lang, "-o", full.to_str().unwrap()]);
        let html = std::fs::read_to_string(&full).unwrap();
        assert!(html.contains("<div class=\"onepage\">"));
        let alone = dir.path().join(format!("summary-{lang}.html"));
        std::fs::write(
            &alone,
            html.replace(
                "</head>",
                "<style>body > :not(.onepage) { display: none !important; }</style></head>",
            ),
        )
        .unwrap();
        let mut pages = Vec::new();
        for (name, file) in [("summary", &alone), ("full", &full)] {
            let pdf = dir.path().join(format!("{name}-{lang}.pdf"));
            run_chromium(
                &browser,
                &dir.path().join(format!("profile-{name}-{lang}")),
                file,
                &[
                    "--no-pdf-header-footer",
                    &format!("--print-to-pdf={}", pdf.display()),
                ],
            );
            pages.push(pdf_pages(&std::fs::read(&pdf).unwrap()));
        }
        assert_eq!(pages[0], 1, "{lang}: the summary takes {} pages", pages[0]);
        assert!(
            pages[1] > 2,
            "{lang}: the report printed {} pages",
            pages[1]
        );
    }
}

#[test]
fn a_chinese_report_s_charts_have_no_english_words() {
    // The bundled scenario with a sweep over weights and the key pool: every chart there is.
    let dir = TempDir::new().unwrap();
    let sweep = bundled_sweep(dir.path());
    let file = dir.path().join("report.html");
    ok(&[
        "report",
        "--lang",
        "zh",
        "--sweep",
        sweep.to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&file).unwrap();
    // Allowed: ids (projects, rounds, pools, criteria), the scenario's own names (the user's
    // words), the sweep's settings as typed.
    let cert: Value = serde_json::from_str(&ok(&["solve", "-f", "json"])).unwrap();
    let mut allowed: BTreeSet<String> = BTreeSet::new();
    let mut allow = |text: &str| {
        for w in text.split(|c: char| !c.is_ascii_alphabetic()) {
            allowed.insert(w.to_lowercase());
        }
    };
    allow(cert["scenario"].as_str().unwrap());
    for p in cert["projects"].as_array().unwrap() {
        allow(p["id"].as_str().unwrap());
    }
    for key in ["pools", "rounds"] {
        for x in cert[key].as_array().unwrap() {
            allow(x["id"].as_str().unwrap());
        }
    }
    for id in cert["weights"].as_object().unwrap().keys() {
        allow(id);
    }
    allow("dirichlet");
    let svgs: Vec<&str> = html.split("<svg").skip(1).collect();
    assert!(svgs.len() >= 6, "{} charts", svgs.len());
    let mut texts = 0;
    for svg in svgs {
        let svg = svg.split("</svg>").next().unwrap();
        for text in svg.split("<text").skip(1) {
            let text = text
                .split_once('>')
                .unwrap()
                .1
                .split("</text>")
                .next()
                .unwrap();
            texts += 1;
            let latin = latin_words(text, &allowed);
            assert!(latin.is_empty(), "{text:?} has {latin:?}");
        }
    }
    assert!(texts > 50, "{texts} chart texts");
    // The check sees English when there is some.
    assert!(!latin_words("score (points)", &allowed).is_empty());
}

/// The report without its charts' SVG and its style sheet: every word and number it shows, one
/// table row a line (the charts have tests of their own).
fn words_of(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<svg") {
        out.push_str(&rest[..at]);
        out.push_str("<svg/>");
        rest = rest[at..]
            .split_once("</svg>")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    match out.split_once("<style>") {
        Some((head, tail)) => {
            format!("{head}<style/>{}", tail.split_once("</style>").unwrap().1)
        }
        None => out,
    }
}

#[test]
fn the_bundled_report_matches_its_goldens_in_both_languages() {
    let dir = TempDir::new().unwrap();
    for lang in ["zh", "en"] {
        let file = dir.path().join(format!("report-{lang}.html"));
        ok(&["report", "--lang", lang, "-o", file.to_str().unwrap()]);
        let html = std::fs::read_to_string(&file).unwrap();
        crate::util::golden(&format!("report-quzhou-2019.{lang}.html"), &words_of(&html));
    }
}

/// `pdftotext` (Debian's poppler-utils), or `None` with a printed note; in CI a missing one fails
/// the test (`.ci/setup` installs it).
fn pdftotext() -> Option<&'static str> {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if found {
        return Some("pdftotext");
    }
    if std::env::var_os("CI").is_some() {
        panic!("CI is set but pdftotext is missing: .ci/setup installs it (apt-get install poppler-utils)");
    }
    println!("skipped: pdftotext is missing (apt-get install -y poppler-utils)");
    None
}

/// Per printed page, the text of its lowest block of text (`pdftotext -bbox-layout`).
fn last_blocks(pdftotext: &str, pdf: &Path) -> Vec<String> {
    let out = Command::new(pdftotext)
        .args(["-bbox-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).unwrap();
    let xml = match xml.find("<html") {
        Some(at) => &xml[at..],
        None => &xml,
    };
    let doc = roxmltree::Document::parse(xml).expect("pdftotext's XHTML parses");
    doc.descendants()
        .filter(|n| n.has_tag_name("page"))
        .map(|page| {
            let mut blocks: Vec<(f64, String)> = page
                .descendants()
                .filter(|n| n.has_tag_name("block"))
                .map(|b| {
                    let bottom: f64 = b.attribute("yMax").unwrap().parse().unwrap();
                    let text: String = b
                        .descendants()
                        .filter(|w| w.has_tag_name("word"))
                        .filter_map(|w| w.text())
                        .collect();
                    (bottom, text)
                })
                .collect();
            blocks.sort_by(|a, b| a.0.total_cmp(&b.0));
            blocks.pop().map(|(_, text)| text).unwrap_or_default()
        })
        .collect()
}

#[test]
fn no_heading_stands_alone_at_the_bottom_of_a_printed_page() {
    let Some(browser) = chromium() else { return };
    let Some(pdftotext) = pdftotext() else { return };
    let dir = TempDir::new().unwrap();
    let sweep = bundled_sweep(dir.path());
    for lang in ["zh", "en"] {
        let file = dir.path().join(format!("report-{lang}.html"));
        ok(&[
            "report",
            "--lang",
            lang,
            "--sweep",
            sweep.to_str().unwrap(),
            "-o",
            file.to_str().unwrap(),
        ]);
        // Every heading marked, so that its block is known in the printed text.
        let marked = dir.path().join(format!("marked-{lang}.html"));
        let html = std::fs::read_to_string(&file).unwrap().replace(
            "</head>",
            "<style>h1::before, h2::before, h3::before { content: \"§\"; }</style></head>",
        );
        std::fs::write(&marked, html).unwrap();
        let pdf = dir.path().join(format!("report-{lang}.pdf"));
        run_chromium(
            &browser,
            &dir.path().join(format!("profile-{lang}")),
            &marked,
            &[
                "--no-pdf-header-footer",
                &format!("--print-to-pdf={}", pdf.display()),
            ],
        );
        let lasts = last_blocks(pdftotext, &pdf);
        assert!(lasts.len() > 10, "{lang}: {} pages", lasts.len());
        for (page, text) in lasts.iter().enumerate() {
            assert!(
                !text.starts_with('§'),
                "{lang}: page {} ends with the heading {text:?}",
                page + 1
            );
        }
    }
    // The check sees a heading left at the bottom: one pushed there by a tall block after it.
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><html><head><style>@page { size: A4; margin: 16mm 14mm; } \
         h3::before { content: \"§\"; }</style></head><body>\
         <div style=\"height: 230mm\"></div><h3>Alone</h3>\
         <svg width=\"600\" height=\"900\" viewBox=\"0 0 600 900\"><rect width=\"600\" height=\"900\"/></svg>\
         <p>end</p></body></html>",
    )
    .unwrap();
    let pdf = dir.path().join("bad.pdf");
    run_chromium(
        &browser,
        &dir.path().join("profile-bad"),
        &bad,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    assert!(
        last_blocks(pdftotext, &pdf)
            .iter()
            .any(|t| t.starts_with('§')),
        "the check missed a heading at the bottom of a page"
    );
}

/// A sweep of the bundled scenario over weights and three budgets of the key pool, written into
/// `dir`: every chart the report draws.
fn bundled_sweep(dir: &Path) -> std::path::PathBuf {
    let sweep = dir.join("sweep.json");
    ok(&[
        "sweep",
        "--weights",
        "dirichlet:10",
        "--budget",
        "key=25000000..35000000:5000000",
        "-f",
        "json",
        "-o",
        sweep.to_str().unwrap(),
    ]);
    sweep
}

#[test]
fn no_reserve_leaves_the_reserve_lists_out_and_nothing_else() {
    let dir = TempDir::new().unwrap();
    let with = dir.path().join("with.html");
    let without = dir.path().join("without.html");
    ok(&["report", "--lang", "en", "-o", with.to_str().unwrap()]);
    ok(&[
        "report",
        "--lang",
        "en",
        "--no-reserve",
        "-o",
        without.to_str().unwrap(),
    ]);
    let with = std::fs::read_to_string(with).unwrap();
    let without = std::fs::read_to_string(without).unwrap();
    let section = |html: &str| {
        let start = html.find("<section class=\"reserves\">")?;
        let end = start + html[start..].find("</section>")? + "</section>\n".len();
        Some((start, end))
    };
    let (start, end) = section(&with).expect("the reserve lists are in the report");
    assert_eq!(section(&without), None);
    assert_eq!(format!("{}{}", &with[..start], &with[end..]), without);
}
