//! The result as an Excel workbook, for planners who work in spreadsheets: a summary sheet
//! (status, totals, pools, the rank-and-cut comparison), one sheet per round (the ranked list with
//! the funding line marked) and a sheet of every project's standing and reasons — the same facts
//! as the table and the CSV, read from the same [`Decisions`].
//!
//! Money and scores are written as numbers (money with `#,##0`, or `#,##0.00` when any amount
//! has fen; scores with four decimals), so they can be summed and sorted. Numbers are written as
//! the double nearest to the exact decimal, which reads back as that decimal. The workbook is
//! byte-identical for identical input: its creation time is fixed at [`CREATED`].

use super::{lang, paid, Decisions, Standing};
use crate::error::{Error, Result};
use crate::rules::Evaluation;
use crate::scenario::{Money, Scenario};
use crate::solve::{Outcome, Status};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

/// The creation date recorded in every workbook (year, month, day), so output does not depend
/// on the clock.
pub const CREATED: (u16, u8, u8) = (2000, 1, 1);

/// The cell styles of one workbook.
struct Styles {
    header: Format,
    title: Format,
    money: Format,
    score: Format,
    funded: Format,
    funded_money: Format,
    funded_score: Format,
    /// Formats of the last row above the funding line: text, money, score.
    line: [Format; 3],
}

impl Styles {
    fn new(fen: bool) -> Styles {
        let money_fmt = if fen { "#,##0.00" } else { "#,##0" };
        let fill = Color::RGB(0xE2EFDA);
        let funded = Format::new().set_background_color(fill);
        let funded_money = funded.clone().set_num_format(money_fmt);
        let funded_score = funded.clone().set_num_format("0.0000");
        let line = |f: &Format| {
            f.clone()
                .set_border_bottom(FormatBorder::Thick)
                .set_border_bottom_color(Color::RGB(0xC00000))
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9D9D9))
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold(),
            money: Format::new().set_num_format(money_fmt),
            score: Format::new().set_num_format("0.0000"),
            line: [line(&funded), line(&funded_money), line(&funded_score)],
            funded,
            funded_money,
            funded_score,
        }
    }
}

/// A worksheet being filled, remembering the widest text of each column.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    widths: Vec<usize>,
}

/// A cell value.
enum Value<'a> {
    Text(&'a str),
    Money(Money),
    Score(Decimal),
    Count(usize),
}

impl<'a> Sheet<'a> {
    fn new(ws: &'a mut Worksheet) -> Sheet<'a> {
        Sheet {
            ws,
            widths: Vec::new(),
        }
    }

    fn put(&mut self, row: u32, col: u16, value: Value, format: Option<&Format>) -> Result<()> {
        let (shown, written) = match value {
            Value::Text(t) => (t.to_string(), self.ws.write_string(row, col, t).map(|_| ())),
            Value::Money(m) => (super::yuan(m), self.number(row, col, m.yuan())),
            Value::Score(s) => (s.to_string(), self.number(row, col, s)),
            Value::Count(n) => (n.to_string(), self.number(row, col, Decimal::from(n))),
        };
        written.map_err(xlsx_error)?;
        if let Some(f) = format {
            self.ws.set_cell_format(row, col, f).map_err(xlsx_error)?;
        }
        let col = usize::from(col);
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0);
        }
        let width = UnicodeWidthStr::width(shown.as_str());
        self.widths[col] = self.widths[col].max(width);
        Ok(())
    }

    /// The double nearest to `d` (parsing its text is correctly rounded, so it reads back as `d`).
    fn number(&mut self, row: u32, col: u16, d: Decimal) -> std::result::Result<(), XlsxError> {
        let f: f64 = d.to_string().parse().unwrap_or(f64::NAN);
        self.ws.write_number(row, col, f).map(|_| ())
    }

    /// A row of cells from column A, all in one format.
    fn row(&mut self, row: u32, values: Vec<Value>, format: Option<&Format>) -> Result<()> {
        for (col, v) in values.into_iter().enumerate() {
            self.put(row, col as u16, v, format)?;
        }
        Ok(())
    }

    /// Column widths from the widest text (clamped), a frozen header and an autofilter over the
    /// table that starts at `header` and ends at `last`.
    fn finish(self, table: Option<(u32, u32)>) -> Result<()> {
        for (col, w) in self.widths.iter().enumerate() {
            let width = (*w + 2).clamp(6, 60) as f64;
            self.ws
                .set_column_width(col as u16, width)
                .map_err(xlsx_error)?;
        }
        if let Some((header, last)) = table {
            let last_col = self.widths.len().saturating_sub(1) as u16;
            self.ws
                .set_freeze_panes(header + 1, 0)
                .map_err(xlsx_error)?;
            self.ws
                .autofilter(header, 0, last.max(header), last_col)
                .map_err(xlsx_error)?;
        }
        Ok(())
    }
}

/// `words` with the money columns `at` headed with the unit of the amounts (`预算（元）`,
/// `budget (EUR)` for a `.pb` election's).
fn with_units<const N: usize>(
    words: [&str; N],
    at: &[usize],
    lang: crate::scenario::Lang,
    scenario: &Scenario,
) -> [String; N] {
    let mut i = 0;
    words.map(|w| {
        let money = at.contains(&i);
        i += 1;
        if money {
            lang::money_heading(lang, scenario, w)
        } else {
            w.to_string()
        }
    })
}

/// Text cells of a row.
fn texts(words: &[String]) -> Vec<Value<'_>> {
    words.iter().map(|w| Value::Text(w)).collect()
}

fn add_sheet(book: &mut Workbook, name: String) -> Result<&mut Worksheet> {
    book.add_worksheet().set_name(name).map_err(xlsx_error)
}

fn xlsx_error(e: XlsxError) -> Error {
    Error::Output(format!("cannot build the workbook: {e}"))
}

/// A valid, unique sheet name: Excel forbids `[]:*?/\`, more than 31 characters and duplicates
/// (compared case-insensitively).
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').to_string();
    let clean = if clean.is_empty() {
        "round".into()
    } else {
        clean
    };
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" ({n})")
        };
        let keep = 31 - suffix.chars().count();
        let name: String = clean.chars().take(keep).collect::<String>() + &suffix;
        if !taken
            .iter()
            .any(|t| t.to_lowercase() == name.to_lowercase())
        {
            taken.push(name.clone());
            return name;
        }
        n += 1;
    }
}

/// Whether any amount the workbook shows has fen.
fn has_fen(scenario: &Scenario, evaluation: &Evaluation, outcome: &Outcome) -> bool {
    let fen = |m: &Money| m.yuan().fract() != Decimal::ZERO;
    let portfolios = std::iter::once(&outcome.portfolio).chain(outcome.baseline.as_ref());
    scenario.pools.iter().any(|p| fen(&p.budget))
        || evaluation.candidates.iter().any(|c| fen(&c.subsidy))
        || portfolios.into_iter().any(|p| {
            p.paid.iter().any(fen) || p.pools.iter().any(|u| fen(&u.spent) || fen(&u.left))
        })
}

/// What every sheet is built from.
struct Report<'a> {
    scenario: &'a Scenario,
    evaluation: &'a Evaluation,
    outcome: &'a Outcome,
    decisions: &'a Decisions,
    st: Styles,
}

/// Renders the result as an `.xlsx` workbook.
pub fn xlsx(
    scenario: &Scenario,
    evaluation: &Evaluation,
    outcome: &Outcome,
    decisions: &Decisions,
) -> Result<Vec<u8>> {
    let styles = Styles::new(has_fen(scenario, evaluation, outcome));
    let mut book = Workbook::new();
    let (y, m, d) = CREATED;
    let created = ExcelDateTime::from_ymd(y, m, d).map_err(xlsx_error)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&scenario.name)
            .set_author("allot")
            .set_creation_datetime(&created),
    );
    let report = Report {
        scenario,
        evaluation,
        outcome,
        decisions,
        st: styles,
    };
    let words = lang::workbook_words(decisions.lang);
    let mut taken = vec![
        words.summary_sheet.to_string(),
        words.projects_sheet.to_string(),
    ];
    report.summary(Sheet::new(add_sheet(
        &mut book,
        words.summary_sheet.into(),
    )?))?;
    for (r, round) in scenario.rounds.iter().enumerate() {
        let name = sheet_name(&round.id, &mut taken);
        report.round(Sheet::new(add_sheet(&mut book, name)?), r)?;
    }
    report.projects(Sheet::new(add_sheet(
        &mut book,
        words.projects_sheet.into(),
    )?))?;
    let committee = lang::publication_headings(decisions.lang)[0];
    report.committee(Sheet::new(add_sheet(
        &mut book,
        sheet_name(committee, &mut taken),
    )?))?;
    book.save_to_buffer().map_err(xlsx_error)
}

impl Report<'_> {
    /// Status, totals, pools and the comparison with rank-and-cut.
    fn summary(&self, mut s: Sheet) -> Result<()> {
        let Report {
            scenario,
            evaluation,
            outcome,
            decisions,
            st,
        } = self;
        let portfolio = &outcome.portfolio;
        let lang = decisions.lang;
        let words = lang::workbook_words(lang);
        let status = match outcome.status {
            Status::Optimal => words.optimal.to_string(),
            Status::TimeLimit { gap } => {
                lang::workbook_time_limit(lang, &format!("{:.4}", gap * 100.0))
            }
        };
        let count = |standing| {
            decisions
                .projects
                .iter()
                .filter(|(s, _, _)| *s == standing)
                .count()
        };
        let values = [
            Value::Text(&scenario.name),
            Value::Text(&status),
            Value::Count(portfolio.funded.len()),
            Value::Score(portfolio.total_score),
            Value::Money(portfolio.total_paid()),
            Value::Count(scenario.applications.len()),
            Value::Count(count(Standing::Unfunded)),
            Value::Count(count(Standing::Ineligible)),
        ];
        let facts = with_units(words.facts, &[4], lang, scenario);
        let mut row = 0;
        for (label, value) in facts.iter().zip(values) {
            s.put(row, 0, Value::Text(label), Some(&st.title))?;
            let format = match value {
                Value::Money(_) => Some(&st.money),
                Value::Score(_) => Some(&st.score),
                _ => None,
            };
            s.put(row, 1, value, format)?;
            row += 1;
        }

        row += 1;
        s.put(row, 0, Value::Text(words.pools), Some(&st.title))?;
        row += 1;
        let header = with_units(words.pool_header, &[2, 3, 4], lang, scenario);
        s.row(row, texts(&header), Some(&st.header))?;
        for (p, u) in scenario.pools.iter().zip(&portfolio.pools) {
            row += 1;
            s.row(row, vec![Value::Text(&p.id), Value::Text(&p.name)], None)?;
            for (col, m) in [(2, p.budget), (3, u.spent), (4, u.left)] {
                s.put(row, col, Value::Money(m), Some(&st.money))?;
            }
            let scale = u.scale.map(|l| l.round_dp(6).normalize().to_string());
            s.put(row, 5, Value::Text(scale.as_deref().unwrap_or("-")), None)?;
        }

        row += 2;
        let method = decisions.baseline_method;
        let title = super::heading(&lang::comparison_heading(lang, method));
        s.put(row, 0, Value::Text(&title), Some(&st.title))?;
        row += 1;
        match &outcome.baseline {
            None => {
                let note = lang::no_comparison(lang, method);
                s.put(row, 0, Value::Text(&note), None)?;
            }
            Some(b) => {
                let header = with_units(words.comparison_header, &[3], lang, scenario);
                s.row(row, texts(&header), Some(&st.header))?;
                let baseline = lang::baseline_name(lang, method);
                for (label, p) in [(lang::optimal(lang), portfolio), (baseline, b)] {
                    row += 1;
                    s.put(row, 0, Value::Text(label), None)?;
                    s.put(row, 1, Value::Count(p.funded.len()), None)?;
                    s.put(row, 2, Value::Score(p.total_score), Some(&st.score))?;
                    s.put(row, 3, Value::Money(p.total_paid()), Some(&st.money))?;
                }
                row += 1;
                s.put(row, 0, Value::Text(words.optimum_adds), None)?;
                s.put(
                    row,
                    2,
                    Value::Score(portfolio.total_score - b.total_score),
                    Some(&st.score),
                )?;
                let pair = |c: &usize| {
                    let cand = &evaluation.candidates[*c];
                    format!(
                        "{}@{}",
                        scenario.applications[cand.project].id, scenario.rounds[cand.round].id
                    )
                };
                let only = |a: &[usize], b: &[usize]| {
                    a.iter()
                        .filter(|c| !b.contains(c))
                        .map(pair)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                for (label, list) in [
                    (
                        lang::only_in_optimum_label(lang).to_string(),
                        only(&portfolio.funded, &b.funded),
                    ),
                    (
                        lang::only_in_baseline_label(lang, method),
                        only(&b.funded, &portfolio.funded),
                    ),
                ] {
                    row += 1;
                    s.put(row, 0, Value::Text(&label), None)?;
                    s.put(row, 1, Value::Text(&list), None)?;
                }
            }
        }
        s.finish(None)
    }

    /// One round: every eligible candidate in rank order, the funded ones shaded, the funding line
    /// drawn under the last funded one and named in the title.
    fn round(&self, mut s: Sheet, r: usize) -> Result<()> {
        let Report {
            scenario,
            evaluation,
            outcome,
            decisions,
            st,
        } = self;
        let round = &scenario.rounds[r];
        let cands = &evaluation.candidates;
        let portfolio = &outcome.portfolio;
        let ranking = &decisions.ranking[r];
        let funded_here = |c: usize| portfolio.funded.contains(&c) && cands[c].round == r;
        let count = ranking.iter().filter(|&&c| funded_here(c)).count();
        let last_funded = ranking.iter().rposition(|&c| funded_here(c));
        let lang = decisions.lang;
        let words = lang::workbook_words(lang);
        let line = match last_funded {
            Some(i) => lang::line_below(lang, i + 1, &super::points(cands[ranking[i]].score)),
            None => words.nothing_funded.to_string(),
        };
        let title = lang::round_title(
            lang,
            &round.name,
            count,
            round.max_projects,
            &scenario.pools[round.pool].id,
            &line,
        );
        s.ws.write_string_with_format(0, 0, &title, &st.title)
            .map_err(xlsx_error)?;
        s.row(
            1,
            texts(&with_units(words.round_header, &[5, 6], lang, scenario)),
            Some(&st.header),
        )?;
        let mut row = 1;
        for (i, &c) in ranking.iter().enumerate() {
            row += 1;
            let cand = &cands[c];
            let app = &scenario.applications[cand.project];
            let funded = funded_here(c);
            let [text, money, score] = if Some(i) == last_funded {
                [Some(&st.line[0]), Some(&st.line[1]), Some(&st.line[2])]
            } else if funded {
                [
                    Some(&st.funded),
                    Some(&st.funded_money),
                    Some(&st.funded_score),
                ]
            } else {
                [None, Some(&st.money), Some(&st.score)]
            };
            let decision = decision(scenario, evaluation, decisions, r, c, funded);
            s.put(row, 0, Value::Count(i + 1), text)?;
            s.put(row, 1, Value::Text(&app.id), text)?;
            s.put(row, 2, Value::Text(&app.name), text)?;
            s.put(row, 3, Value::Text(&app.enterprise), text)?;
            s.put(row, 4, Value::Score(cand.score), score)?;
            s.put(row, 5, Value::Money(cand.subsidy), money)?;
            match paid(outcome, c).filter(|_| funded) {
                Some(m) => s.put(row, 6, Value::Money(m), money)?,
                None => s.put(row, 6, Value::Text(""), text)?,
            }
            s.put(row, 7, Value::Text(&decision), text)?;
        }
        // The title is wide; keep it out of the column widths.
        s.finish(Some((1, row)))
    }

    /// Every project: standing, round, amount paid, score, rank and reasons (as the CSV report).
    fn projects(&self, mut s: Sheet) -> Result<()> {
        let Report {
            scenario,
            evaluation,
            outcome,
            decisions,
            st,
        } = self;
        let lang = decisions.lang;
        let words = lang::workbook_words(lang);
        s.row(
            0,
            texts(&with_units(words.projects_header, &[5], lang, scenario)),
            Some(&st.header),
        )?;
        let mut row = 0;
        for (p, app) in scenario.applications.iter().enumerate() {
            row += 1;
            let (standing, funded, reasons) = &decisions.projects[p];
            s.row(
                row,
                vec![
                    Value::Text(&app.id),
                    Value::Text(&app.name),
                    Value::Text(&app.enterprise),
                    Value::Text(lang::standing(lang, *standing)),
                ],
                None,
            )?;
            match funded {
                Some(c) => {
                    let cand = &evaluation.candidates[*c];
                    s.put(row, 4, Value::Text(&scenario.rounds[cand.round].name), None)?;
                    if let Some(m) = paid(outcome, *c) {
                        s.put(row, 5, Value::Money(m), Some(&st.money))?;
                    }
                    s.put(row, 6, Value::Score(cand.score), Some(&st.score))?;
                    s.put(row, 7, Value::Count(decisions.rank[*c]), None)?;
                }
                None => s.put(
                    row,
                    8,
                    Value::Text(&reasons.join(lang::separator(lang))),
                    None,
                )?,
            }
        }
        s.finish(Some((0, row)))
    }
}

impl Report<'_> {
    /// The committee's decisions, one a row, as the report words them (or that there are none).
    fn committee(&self, mut s: Sheet) -> Result<()> {
        let lang = self.decisions.lang;
        let items =
            super::committee_items(self.scenario, self.evaluation, self.outcome, self.decisions);
        s.row(
            0,
            vec![Value::Text(lang.pick("decision", "决定"))],
            Some(&self.st.header),
        )?;
        if items.is_empty() {
            s.put(1, 0, Value::Text(lang::no_decisions(lang)), None)?;
        }
        for (i, item) in items.iter().enumerate() {
            s.put(i as u32 + 1, 0, Value::Text(item), None)?;
        }
        s.finish(Some((0, items.len().max(1) as u32)))
    }
}

/// The decision column of a round sheet, worded as in the table report.
fn decision(
    scenario: &Scenario,
    evaluation: &Evaluation,
    decisions: &Decisions,
    r: usize,
    c: usize,
    funded_here: bool,
) -> String {
    let (_, funded, reasons) = &decisions.projects[evaluation.candidates[c].project];
    let lang = decisions.lang;
    if funded_here {
        lang::funded_here(lang).to_string()
    } else if let Some(f) = funded {
        let elsewhere = evaluation.candidates[*f].round;
        lang::funded_in(lang, &scenario.rounds[elsewhere].name)
    } else {
        let prefix = format!("{}: ", scenario.rounds[r].id);
        reasons
            .iter()
            .filter_map(|why| why.strip_prefix(&prefix))
            .collect::<Vec<_>>()
            .join(lang::separator(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = vec!["Summary".to_string(), "Projects".to_string()];
        assert_eq!(sheet_name("build", &mut taken), "build");
        assert_eq!(sheet_name("BUILD", &mut taken), "BUILD (2)");
        assert_eq!(sheet_name("summary", &mut taken), "summary (2)");
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
        let long = "x".repeat(40);
        let name = sheet_name(&long, &mut taken);
        assert_eq!(name.chars().count(), 31);
        assert_eq!(
            sheet_name(&long, &mut taken),
            format!("{} (2)", "x".repeat(27))
        );
    }
}
