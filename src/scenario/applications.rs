//! Applications as planners keep them: a CSV table with English or Chinese headers, or inline
//! entries in the scenario file. Amounts are in 元 or 万元 as the file declares (a header such as
//! `设备投资(万元)` overrides the declaration for its column).

use super::money::{Amount, Money, Unit};
use super::read::Num;
use super::types::{Application, Criterion, Investment, InvestmentField, Round};
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

/// What the reader needs to know about the scenario to interpret a row.
pub(crate) struct Context<'a> {
    pub rounds: &'a [Round],
    pub criteria: &'a [Criterion],
    /// Flags mentioned by any rule; a column named after one holds yes/no values.
    pub flags: &'a BTreeSet<String>,
}

/// An application written inline in the scenario file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawApplication {
    pub id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    enterprise: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    jurisdiction: String,
    rounds: Vec<String>,
    equipment: Option<Amount>,
    technology: Option<Amount>,
    software: Option<Amount>,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    scores: BTreeMap<String, RawScore>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}

/// An inline score: one value, or the experts' scores of a panel criterion.
pub(crate) enum RawScore {
    One(Num),
    Panel(Vec<Num>),
}

impl<'de> Deserialize<'de> for RawScore {
    /// A list is a panel's scores; anything else is read as one number, with its messages.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<RawScore, D::Error> {
        use serde::de::value::{F64Deserializer, I64Deserializer, SeqAccessDeserializer};
        use serde::de::value::{StrDeserializer, U64Deserializer};
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawScore;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number, or a list of the experts' scores")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<RawScore, A::Error> {
                Vec::<Num>::deserialize(SeqAccessDeserializer::new(seq)).map(RawScore::Panel)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<RawScore, E> {
                Num::deserialize(I64Deserializer::<E>::new(v)).map(RawScore::One)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<RawScore, E> {
                Num::deserialize(U64Deserializer::<E>::new(v)).map(RawScore::One)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<RawScore, E> {
                Num::deserialize(F64Deserializer::<E>::new(v)).map(RawScore::One)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<RawScore, E> {
                Num::deserialize(StrDeserializer::<E>::new(v)).map(RawScore::One)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// The fixed columns and the headers accepted for each (compared after trimming, case-insensitively,
/// with any `(万元)`/`（元）` unit suffix removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Name,
    Enterprise,
    Industry,
    Jurisdiction,
    Rounds,
    Money(InvestmentField),
    Flags,
}

const HEADERS: &[(Field, &[&str])] = &[
    (
        Field::Id,
        &[
            "id",
            "project_id",
            "project id",
            "项目编号",
            "编号",
            "项目代码",
        ],
    ),
    (
        Field::Name,
        &["name", "project_name", "project", "项目名称", "名称"],
    ),
    (
        Field::Enterprise,
        &["enterprise", "company", "企业名称", "企业", "申报单位"],
    ),
    (Field::Industry, &["industry", "所属产业", "产业", "行业"]),
    (
        Field::Jurisdiction,
        &["jurisdiction", "属地", "所属区域", "区域", "所在地"],
    ),
    (
        Field::Rounds,
        &["rounds", "round", "申报类别", "申报轮次", "申报类型"],
    ),
    (
        Field::Money(InvestmentField::Equipment),
        &["equipment", "设备投资", "新增设备投资", "设备投入"],
    ),
    (
        Field::Money(InvestmentField::Technology),
        &["technology", "技术投资", "技术投入"],
    ),
    (
        Field::Money(InvestmentField::Software),
        &["software", "软件投资", "软件投入"],
    ),
    (Field::Flags, &["flags", "标记", "标签"]),
];

/// Flag columns known by their Chinese names, mapped to the flag ids rules use.
const FLAG_HEADERS: &[(&str, &[&str])] = &[
    (
        "patent_industrialization",
        &["发明专利产业化", "patent", "patent_industrialization"],
    ),
    (
        "class_a",
        &["亩产效益a类", "亩产效益A类", "class_a", "亩产a类"],
    ),
    (
        "leader",
        &[
            "龙头/标杆企业",
            "龙头标杆企业",
            "龙头企业",
            "leader",
            "leader_benchmark",
        ],
    ),
    (
        "state_owned_non_manufacturing",
        &[
            "省部属非制造业企业",
            "省部属非制造业",
            "state_owned_non_manufacturing",
        ],
    ),
];

/// Splits a header into its name and an optional unit suffix: `设备投资(万元)` → (`设备投资`, 万元).
fn split_unit(header: &str) -> (String, Option<Unit>) {
    let h = header.trim().trim_start_matches('\u{feff}');
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let (Some(start), true) = (h.rfind(open), h.ends_with(close)) {
            let inner = h[start + open.len_utf8()..h.len() - close.len_utf8()].trim();
            let unit = match inner {
                "万元" | "wan" | "10k CNY" => Some(Unit::Wan),
                "元" | "yuan" | "CNY" => Some(Unit::Yuan),
                _ => None,
            };
            if unit.is_some() {
                return (h[..start].trim().to_string(), unit);
            }
        }
    }
    (h.to_string(), None)
}

fn normalize(header: &str) -> String {
    header.trim().to_lowercase()
}

/// What one CSV column means.
#[derive(Debug, Clone)]
enum Column {
    Fixed(Field, Option<Unit>),
    Flag(String),
    Criterion(usize),
    /// Expert `k`'s score for criterion `c`'s panel.
    Expert(usize, usize),
    Attribute(String),
}

fn classify(header: &str, ctx: &Context) -> Column {
    let (name, unit) = split_unit(header);
    let key = normalize(&name);
    for (field, aliases) in HEADERS {
        if aliases.iter().any(|a| normalize(a) == key) {
            return Column::Fixed(*field, unit);
        }
    }
    for (i, c) in ctx.criteria.iter().enumerate() {
        let experts = c.panel.iter().flat_map(|p| &p.experts);
        if let Some(k) = experts.into_iter().position(|e| normalize(e) == key) {
            return Column::Expert(i, k);
        }
    }
    for (i, c) in ctx.criteria.iter().enumerate() {
        if normalize(&c.id) == key || normalize(&c.name) == key {
            return Column::Criterion(i);
        }
    }
    // A flag a rule names wins over a built-in alias of the same spelling.
    if let Some(flag) = ctx.flags.iter().find(|f| normalize(f) == key) {
        return Column::Flag(flag.clone());
    }
    for (flag, aliases) in FLAG_HEADERS {
        if aliases.iter().any(|a| normalize(a) == key) {
            return Column::Flag(flag.to_string());
        }
    }
    Column::Attribute(name)
}

/// Reads a yes/no cell.
fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "0" | "no" | "n" | "false" | "否" | "无" | "×" | "-" => Some(false),
        "1" | "yes" | "y" | "true" | "是" | "有" | "√" | "✓" | "✔" => Some(true),
        _ => None,
    }
}

/// Resolves a round named in an application by id or name.
fn round_ref(text: &str, rounds: &[Round]) -> Option<usize> {
    let t = text.trim();
    rounds.iter().position(|r| r.id == t || r.name == t)
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '；', '、', '，', ',', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn parse_rounds<'a>(
    items: impl Iterator<Item = &'a str>,
    ctx: &Context,
) -> std::result::Result<Vec<usize>, String> {
    let mut rounds = Vec::new();
    for item in items {
        let r = round_ref(item, ctx.rounds).ok_or_else(|| {
            format!(
                "{item:?} is not a round (rounds: {})",
                ctx.rounds
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        if !rounds.contains(&r) {
            rounds.push(r);
        }
    }
    rounds.sort_unstable();
    Ok(rounds)
}

/// Reads the CSV table of applications; returns each application with where its row is
/// (`row 7`, counting lines from the header's 1).
pub(crate) fn read_csv(
    path: &Path,
    bytes: &[u8],
    unit: Unit,
    ctx: &Context,
) -> Result<Vec<(String, Application)>> {
    let file = path.display();
    let text = super::decode::applications_text(&file, bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(&file, &e))?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&file, &e))?;
        rows.push(Row {
            number: record.position().map_or(0, |p| p.line()),
            cells: record.iter().map(Cell::text).collect(),
        });
    }
    let table = Table {
        file: file.to_string(),
        header_row: 1,
        headers: headers.iter().map(str::to_string).collect(),
        rows,
    };
    read_table(&table, &CsvPlaces, unit, ctx)
}

/// What a table cell held besides its text: a CSV cell is always text; a workbook cell may be a
/// typed value, and only some columns accept each type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text (or an empty cell).
    Text,
    /// A number, written as its exact decimal text.
    Number,
    /// A boolean, written `true` / `false`.
    Bool,
    /// A date or time, written as the sheet's serial number or ISO text.
    Date,
    /// An error value such as `#N/A`, written as shown in the sheet.
    Error,
}

/// One cell of a table of applications.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub text: String,
    pub kind: Kind,
}

impl Cell {
    /// A text cell.
    pub fn text(text: &str) -> Cell {
        Cell {
            text: text.to_string(),
            kind: Kind::Text,
        }
    }
}

/// One row of a table, numbered as the source numbers it (a CSV line, a sheet row).
pub(crate) struct Row {
    pub number: u64,
    pub cells: Vec<Cell>,
}

/// A table of applications as any source gives it: the header cells and the rows below them.
pub(crate) struct Table {
    /// Names the source first in every message (a path).
    pub file: String,
    /// The number of the header row, in the numbering of [`Row::number`].
    pub header_row: u64,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// How a source names its places in messages (a CSV by line and header, a sheet by A1 cell).
pub(crate) trait Places {
    /// A whole row: `row 7`.
    fn row(&self, row: u64) -> String;
    /// One cell: `row 7, column "设备投资"`.
    fn cell(&self, row: u64, column: usize, header: &str) -> String;
}

struct CsvPlaces;

impl Places for CsvPlaces {
    fn row(&self, row: u64) -> String {
        format!("row {row}")
    }
    fn cell(&self, row: u64, _column: usize, header: &str) -> String {
        format!("row {row}, column {header:?}")
    }
}

/// Reads a table of applications, from any source: classifies the headers, checks the required
/// columns, parses every row. Returns each application with the place of its row.
pub(crate) fn read_table(
    table: &Table,
    places: &dyn Places,
    unit: Unit,
    ctx: &Context,
) -> Result<Vec<(String, Application)>> {
    let file = &table.file;
    let headers = &table.headers;
    let header_at = places.row(table.header_row);
    let columns: Vec<Column> = headers.iter().map(|h| classify(h, ctx)).collect();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (h, c) in headers.iter().zip(&columns) {
        let key = match c {
            Column::Fixed(f, _) => format!("field {f:?}"),
            Column::Flag(f) => format!("flag {f}"),
            Column::Criterion(i) => format!("criterion {i}"),
            Column::Expert(i, k) => format!("expert {k} of criterion {i}"),
            // Columns without a header (a trailing comma on every line) are ignored; the
            // decoding pass refuses any that holds a value.
            Column::Attribute(a) if a.is_empty() => continue,
            Column::Attribute(a) => format!("attribute {a}"),
        };
        if let Some(first) = seen.insert(key, h) {
            return Err(Error::input(
                file,
                &header_at,
                format!("columns {first:?} and {h:?} both give the same field"),
            ));
        }
    }
    let has = |f: Field| {
        columns
            .iter()
            .any(|c| matches!(c, Column::Fixed(x, _) if *x == f))
    };
    for (field, name) in [
        (Field::Id, "id (项目编号)"),
        (Field::Rounds, "rounds (申报类别)"),
    ] {
        if !has(field) {
            return Err(Error::input(file, &header_at, format!("no {name} column")));
        }
    }
    for (i, c) in ctx.criteria.iter().enumerate() {
        let own = columns
            .iter()
            .position(|col| matches!(col, Column::Criterion(x) if *x == i));
        let Some(panel) = &c.panel else {
            if own.is_none() {
                return Err(Error::input(
                    file,
                    &header_at,
                    format!("no column for criterion {} ({})", c.id, c.name),
                ));
            }
            continue;
        };
        if let Some(col) = own {
            return Err(Error::input(
                file,
                &header_at,
                format!(
                    "column {:?} gives criterion {} ({}), whose value comes from its panel of experts ({}); remove or rename the column",
                    headers[col],
                    c.id,
                    c.name,
                    panel.experts.join(", ")
                ),
            ));
        }
        for (k, expert) in panel.experts.iter().enumerate() {
            if !columns
                .iter()
                .any(|col| matches!(col, Column::Expert(x, y) if (*x, *y) == (i, k)))
            {
                return Err(Error::input(
                    file,
                    &header_at,
                    format!(
                        "no column {expert:?} for an expert of criterion {} ({})",
                        c.id, c.name
                    ),
                ));
            }
        }
    }

    let mut out = Vec::new();
    for record in &table.rows {
        let row = record.number;
        if record.cells.iter().all(|cell| cell.text.trim().is_empty()) {
            continue;
        }
        let mut app = Application {
            criteria: vec![None; ctx.criteria.len()],
            panels: vec![Vec::new(); ctx.criteria.len()],
            ..Application::default()
        };
        // Each panel's scores as read, with the column each came from.
        let mut experts: Vec<Vec<Option<Decimal>>> = ctx
            .criteria
            .iter()
            .map(|c| vec![None; c.panel.as_ref().map_or(0, |p| p.experts.len())])
            .collect();
        for (col, (cell, column)) in record.cells.iter().zip(&columns).enumerate() {
            let at = || places.cell(row, col, &headers[col]);
            let text = cell.text.as_str();
            let refuse = |what: &str| {
                Error::input(
                    file,
                    at(),
                    format!("{text:?} is {}, not {what}", kind_name(cell.kind)),
                )
            };
            match (cell.kind, column) {
                (Kind::Error, _) => {
                    return Err(Error::input(
                        file,
                        at(),
                        format!("the cell holds the error value {text}"),
                    ))
                }
                (Kind::Bool | Kind::Date, Column::Fixed(Field::Money(_), _)) => {
                    return Err(refuse("an amount"))
                }
                (Kind::Bool | Kind::Date, Column::Criterion(_) | Column::Expert(..)) => {
                    return Err(refuse("a number"))
                }
                (Kind::Date, Column::Flag(_)) => return Err(refuse("yes or no")),
                _ => {}
            }
            match column {
                Column::Fixed(field, col_unit) => match field {
                    Field::Id => app.id = text.to_string(),
                    Field::Name => app.name = text.to_string(),
                    Field::Enterprise => app.enterprise = text.to_string(),
                    Field::Industry => app.industry = text.to_string(),
                    Field::Jurisdiction => app.jurisdiction = text.to_string(),
                    Field::Rounds => {
                        app.rounds = parse_rounds(split_list(text), ctx)
                            .map_err(|why| Error::input(file, at(), why))?
                    }
                    Field::Money(f) => {
                        let amount = if text.is_empty() {
                            Money::ZERO
                        } else {
                            Money::parse(text, col_unit.unwrap_or(unit))
                                .map_err(|why| Error::input(file, at(), why))?
                        };
                        set_investment(&mut app.investment, *f, amount);
                    }
                    Field::Flags => app.flags.extend(split_list(text).map(str::to_string)),
                },
                Column::Flag(flag) => match parse_bool(text) {
                    Some(true) => {
                        app.flags.insert(flag.clone());
                    }
                    Some(false) => {}
                    None => {
                        return Err(Error::input(
                            file,
                            at(),
                            format!("{text:?} is not yes or no (是/否, 1/0)"),
                        ))
                    }
                },
                Column::Criterion(i) => {
                    if !text.is_empty() {
                        let value = Decimal::from_str(text.trim()).map_err(|_| {
                            Error::input(file, at(), format!("{text:?} is not a number"))
                        })?;
                        app.criteria[*i] = Some(value);
                    }
                }
                Column::Expert(i, k) => {
                    if !text.is_empty() {
                        let value = Decimal::from_str(text.trim()).map_err(|_| {
                            Error::input(file, at(), format!("{text:?} is not a number"))
                        })?;
                        experts[*i][*k] = Some(value);
                    }
                }
                Column::Attribute(name) => {
                    if !text.is_empty() {
                        app.attributes.insert(name.clone(), text.to_string());
                    }
                }
            }
        }
        if app.id.is_empty() {
            return Err(Error::input(
                file,
                places.row(row),
                "the project id is empty",
            ));
        }
        for (i, scores) in experts.into_iter().enumerate() {
            let Some(panel) = &ctx.criteria[i].panel else {
                continue;
            };
            if scores.iter().all(Option::is_none) {
                continue; // not scored: a missing criterion, a reason it is not eligible
            }
            if let Some(k) = scores.iter().position(Option::is_none) {
                let col = columns
                    .iter()
                    .position(|c| matches!(c, Column::Expert(x, y) if (*x, *y) == (i, k)))
                    .unwrap_or(0);
                return Err(Error::input(
                    file,
                    places.cell(row, col, &headers[col]),
                    format!(
                        "project {} has no score from this expert, though others of criterion {} ({}) scored it; every expert scores the project, or none does",
                        app.id, ctx.criteria[i].id, ctx.criteria[i].name
                    ),
                ));
            }
            let scores: Vec<Decimal> = scores.into_iter().flatten().collect();
            app.criteria[i] = Some(panel.aggregate.value(&scores));
            app.panels[i] = scores;
        }
        if app.rounds.is_empty() {
            return Err(Error::input(
                file,
                places.row(row),
                format!("project {} applies to no round", app.id),
            ));
        }
        out.push((places.row(row), app));
    }
    Ok(out)
}

/// A typed cell's kind, in the words of a message (`"TRUE" is a boolean, not an amount`).
fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::Number => "a number",
        Kind::Bool => "a boolean",
        Kind::Date => "a date",
        Kind::Error => "an error value",
    }
}

fn set_investment(inv: &mut Investment, field: InvestmentField, amount: Money) {
    match field {
        InvestmentField::Equipment => inv.equipment = amount,
        InvestmentField::Technology => inv.technology = amount,
        InvestmentField::Software => inv.software = amount,
    }
}

fn csv_error(file: &impl std::fmt::Display, e: &csv::Error) -> Error {
    let location = e
        .position()
        .map(|p| format!("row {}", p.line()))
        .unwrap_or_default();
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("has {len} cells where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => {
            "not UTF-8 text; save the sheet as \"CSV UTF-8\"".to_string()
        }
        _ => e.to_string().to_lowercase(),
    };
    Error::input(file, location, message)
}

/// Converts an inline application; the error is the message without location.
pub(crate) fn from_inline(
    raw: &RawApplication,
    unit: Unit,
    ctx: &Context,
) -> std::result::Result<Application, String> {
    if raw.id.trim().is_empty() {
        return Err("the project id is empty".into());
    }
    let rounds = parse_rounds(raw.rounds.iter().map(String::as_str), ctx)?;
    if rounds.is_empty() {
        return Err(format!("project {} applies to no round", raw.id));
    }
    let money = |a: &Option<Amount>, key: &str| -> std::result::Result<Money, String> {
        match a {
            Some(a) => Money::from_decimal(a.0, a.1.unwrap_or(unit))
                .map_err(|why| format!("{key}: \"{}\" {why}", a.0)),
            None => Ok(Money::ZERO),
        }
    };
    let mut criteria = vec![None; ctx.criteria.len()];
    let mut panels = vec![Vec::new(); ctx.criteria.len()];
    for (key, value) in &raw.scores {
        let i = ctx
            .criteria
            .iter()
            .position(|c| &c.id == key || &c.name == key)
            .ok_or_else(|| format!("scores.{key}: {key:?} is not a criterion"))?;
        let c = &ctx.criteria[i];
        match (value, &c.panel) {
            (RawScore::One(v), None) => criteria[i] = Some(v.0),
            (RawScore::Panel(list), Some(panel)) => {
                if list.len() != panel.experts.len() {
                    return Err(format!(
                        "scores.{key}: {} scores for a panel of {} experts ({})",
                        list.len(),
                        panel.experts.len(),
                        panel.experts.join(", ")
                    ));
                }
                let scores: Vec<Decimal> = list.iter().map(|v| v.0).collect();
                criteria[i] = Some(panel.aggregate.value(&scores));
                panels[i] = scores;
            }
            (RawScore::One(_), Some(panel)) => {
                return Err(format!(
                    "scores.{key}: criterion {} is scored by a panel of {} experts ({}); give their scores as a list",
                    c.id,
                    panel.experts.len(),
                    panel.experts.join(", ")
                ))
            }
            (RawScore::Panel(_), None) => {
                return Err(format!(
                    "scores.{key}: a list of scores needs a panel; declare experts and aggregate on criterion {}",
                    c.id
                ))
            }
        }
    }
    Ok(Application {
        id: raw.id.clone(),
        name: raw.name.clone(),
        enterprise: raw.enterprise.clone(),
        industry: raw.industry.clone(),
        jurisdiction: raw.jurisdiction.clone(),
        rounds,
        investment: Investment {
            equipment: money(&raw.equipment, "equipment")?,
            technology: money(&raw.technology, "technology")?,
            software: money(&raw.software, "software")?,
        },
        flags: raw.flags.iter().cloned().collect(),
        criteria,
        panels,
        attributes: raw.attributes.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_suffix_is_read_from_the_header() {
        assert_eq!(
            split_unit("设备投资(万元)"),
            ("设备投资".to_string(), Some(Unit::Wan))
        );
        assert_eq!(
            split_unit("设备投资（元）"),
            ("设备投资".to_string(), Some(Unit::Yuan))
        );
        assert_eq!(split_unit("equipment"), ("equipment".to_string(), None));
    }

    #[test]
    fn a_flag_named_by_a_rule_wins_over_a_built_in_alias() {
        let flags: BTreeSet<String> = ["patent".to_string()].into();
        let ctx = Context {
            rounds: &[],
            criteria: &[],
            flags: &flags,
        };
        assert!(matches!(classify("patent", &ctx), Column::Flag(f) if f == "patent"));
        let none = BTreeSet::new();
        let ctx = Context {
            rounds: &[],
            criteria: &[],
            flags: &none,
        };
        assert!(
            matches!(classify("发明专利产业化", &ctx), Column::Flag(f) if f == "patent_industrialization")
        );
    }

    #[test]
    fn typed_cells_are_refused_where_a_number_is_meant() {
        let flags = BTreeSet::new();
        let ctx = Context {
            rounds: &[],
            criteria: &[],
            flags: &flags,
        };
        let cell = |text: &str, kind| Cell {
            text: text.into(),
            kind,
        };
        let table = |equipment: Cell| Table {
            file: "a.xlsx".into(),
            header_row: 1,
            headers: vec!["id".into(), "设备投资".into(), "rounds".into()],
            rows: vec![Row {
                number: 2,
                cells: vec![Cell::text("P1"), equipment, Cell::text("r")],
            }],
        };
        let read = |c| read_table(&table(c), &CsvPlaces, Unit::Yuan, &ctx);
        // A number passes the money column (and fails only at the unknown round after it).
        let err = read(cell("12.5", Kind::Number)).unwrap_err().to_string();
        assert!(
            err.contains("column \"rounds\"") && err.contains("is not a round"),
            "{err}"
        );
        for (kind, says) in [
            (Kind::Date, "is a date, not an amount"),
            (Kind::Bool, "is a boolean, not an amount"),
            (Kind::Error, "holds the error value"),
        ] {
            let err = read(cell("x", kind)).unwrap_err().to_string();
            assert!(
                err.contains("row 2, column \"设备投资\"") && err.contains(says),
                "{err}"
            );
        }
    }

    #[test]
    fn yes_no_cells_accept_chinese_and_english() {
        assert_eq!(parse_bool("是"), Some(true));
        assert_eq!(parse_bool("否"), Some(false));
        assert_eq!(parse_bool("Yes"), Some(true));
        assert_eq!(parse_bool(""), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
