//! Applications kept in a workbook (`.xlsx`, `.xlsm`, `.xls`, `.xlsb`, `.ods`), read directly with
//! calamine so planners need not export CSV. The sheet becomes a [`Table`] of cell texts and goes
//! through the same header aliases, unit suffixes, flag columns and validation as a CSV file
//! (`applications::read_table`); this module only turns sheet cells into exact text and names
//! places in A1 notation.
//!
//! Numbers arrive from calamine as `f64` (the file stores binary doubles); each becomes the
//! shortest decimal text that reads back as the same double, so a typed `123.4567` is exactly
//! 123.4567. Formula cells are read through the value Excel cached when it last saved the file.

use super::applications::{read_table, Cell, Context, Kind, Places, Row, Table};
use super::money::Unit;
use super::types::Application;
use crate::error::{Error, Result};
use calamine::{Data, Dimensions, Reader, Sheets};
use std::io::Cursor;
use std::path::Path;

/// File name endings read as workbooks.
const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Whether the applications file is a workbook (by its name's ending, case-insensitively).
pub(crate) fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_lowercase().as_str()))
}

/// Reads the applications on `sheet` (default: the first sheet) of the workbook `bytes` read from
/// `path`; returns each application with the place of its row.
pub(crate) fn read(
    path: &Path,
    bytes: &[u8],
    sheet: Option<&str>,
    unit: Unit,
    ctx: &Context,
) -> Result<Vec<(String, Application)>> {
    let file = path.display().to_string();
    let fail = |why: String| Error::input(&file, "", why);
    let mut book = open(path, bytes).map_err(|e| fail(format!("not a readable workbook: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                fail(format!(
                    "no sheet {s:?}; the workbook's sheets are {}",
                    quoted(&names)
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| fail("the workbook has no sheets".into()))?,
    };
    let places = SheetPlaces {
        sheet: name.clone(),
        columns: Vec::new(),
    };
    let sheet_fail = |e: calamine::Error| fail(format!("sheet {name}: {e}"));
    let values = book.worksheet_range(&name).map_err(sheet_fail)?;
    let formulas = book.worksheet_formula(&name).map_err(sheet_fail)?;
    let merged = match &mut book {
        Sheets::Xlsx(x) => x
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| sheet_fail(e.into()))?,
        Sheets::Xls(x) => x
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| sheet_fail(e.into()))?,
        // calamine reports no merged regions for .xlsb and .ods.
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    };
    let (Some(start), Some(end)) = (values.start(), values.end()) else {
        return Err(fail(format!("sheet {name} is empty")));
    };
    let header_row = start.0;
    for m in &merged {
        let header = m.start.0 <= header_row && header_row <= m.end.0;
        let inside = m.start.0 <= end.0 && m.end.0 >= header_row;
        if header || inside {
            let what = if header {
                "unmerge them so each column has its own header (the header is the sheet's first \
                 filled row)"
            } else {
                "unmerge them and give every row its own value"
            };
            return Err(Error::input(
                &file,
                places.row(u64::from(m.start.0) + 1),
                format!("cells {} are merged; {what}", a1_range(m)),
            ));
        }
    }

    // Each cell as text, an uncached formula refused.
    let cell = |row: u32, col: u32| -> Result<Cell> {
        let at = || a1(row, col);
        let value = values.get_value((row, col)).unwrap_or(&Data::Empty);
        if value == &Data::Empty {
            if let Some(f) = formulas.get_value((row, col)).filter(|f| !f.is_empty()) {
                return Err(Error::input(
                    &file,
                    places.at(row, col),
                    format!(
                        "the formula ={f} has no saved value (cell {}); open the workbook in a \
                         spreadsheet program and save it, so the computed values are stored",
                        at()
                    ),
                ));
            }
        }
        convert(value).map_err(|why| Error::input(&file, places.at(row, col), why))
    };

    // Header cells; columns without a header must be empty (stray formatting widens the range).
    let mut headers = Vec::new();
    let mut columns = Vec::new();
    for col in start.1..=end.1 {
        let header = cell(header_row, col)?;
        if header.text.is_empty() {
            if let Some(row) = (header_row + 1..=end.0)
                .find(|&r| !matches!(values.get_value((r, col)), None | Some(Data::Empty)))
            {
                return Err(Error::input(
                    &file,
                    places.at(row, col),
                    format!("column {} holds values but has no header", letters(col)),
                ));
            }
            continue;
        }
        headers.push(header.text);
        columns.push(col);
    }
    let mut rows = Vec::new();
    for row in header_row + 1..=end.0 {
        let cells = columns
            .iter()
            .map(|&col| cell(row, col))
            .collect::<Result<Vec<_>>>()?;
        rows.push(Row {
            number: u64::from(row) + 1,
            cells,
        });
    }
    let table = Table {
        file: file.clone(),
        header_row: u64::from(header_row) + 1,
        headers,
        rows,
    };
    let places = SheetPlaces { columns, ..places };
    read_table(&table, &places, unit, ctx)
}

/// Opens the workbook by its name's ending (the content decides for an unknown ending).
fn open(
    path: &Path,
    bytes: &[u8],
) -> std::result::Result<Sheets<Cursor<Vec<u8>>>, calamine::Error> {
    let data = Cursor::new(bytes.to_vec());
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    Ok(match ext.as_deref() {
        Some("xls") => Sheets::Xls(calamine::open_workbook_from_rs(data)?),
        Some("xlsx" | "xlsm") => Sheets::Xlsx(calamine::open_workbook_from_rs(data)?),
        Some("xlsb") => Sheets::Xlsb(calamine::open_workbook_from_rs(data)?),
        Some("ods") => Sheets::Ods(calamine::open_workbook_from_rs(data)?),
        _ => calamine::open_workbook_auto_from_rs(data)?,
    })
}

/// A cell's value as the text the table reader parses: numbers exactly, dates as ISO text.
fn convert(value: &Data) -> std::result::Result<Cell, String> {
    let cell = |text: String, kind: Kind| Cell { text, kind };
    Ok(match value {
        Data::Empty => cell(String::new(), Kind::Text),
        Data::String(s) => cell(s.trim().to_string(), Kind::Text),
        Data::Int(i) => cell(i.to_string(), Kind::Number),
        Data::Float(f) => cell(number_text(*f)?, Kind::Number),
        Data::Bool(b) => cell(b.to_string(), Kind::Bool),
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, s, ms) = d.to_ymd_hms_milli();
            let text = if d.is_duration() {
                format!("{} days", number_text(d.as_f64())?)
            } else if (h, mi, s, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
            };
            cell(text, Kind::Date)
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => cell(s.clone(), Kind::Date),
        Data::Error(e) => cell(e.to_string(), Kind::Error),
    })
}

/// The shortest decimal text that reads back as `f` (Rust's `Display` for `f64` is exactly
/// that, without an exponent), so the decimal is the one the user typed.
fn number_text(f: f64) -> std::result::Result<String, String> {
    if f.is_finite() {
        Ok(format!("{f}"))
    } else {
        Err(format!("{f} is not a finite number"))
    }
}

/// `"a", "b"` for a message.
fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Column letters of a 0-based column: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(crate) fn letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A1 name of a 0-based (row, column).
fn a1(row: u32, col: u32) -> String {
    format!("{}{}", letters(col), row + 1)
}

fn a1_range(d: &Dimensions) -> String {
    format!("{}:{}", a1(d.start.0, d.start.1), a1(d.end.0, d.end.1))
}

/// Places in one sheet: `sheet 项目, cell D7 (设备投资(万元))`.
struct SheetPlaces {
    sheet: String,
    /// The sheet column of each table column.
    columns: Vec<u32>,
}

impl SheetPlaces {
    /// A cell by its 0-based sheet position, before the table's columns are known.
    fn at(&self, row: u32, col: u32) -> String {
        format!("sheet {}, cell {}", self.sheet, a1(row, col))
    }
}

impl Places for SheetPlaces {
    fn row(&self, row: u64) -> String {
        format!("sheet {}, row {row}", self.sheet)
    }

    fn cell(&self, row: u64, column: usize, header: &str) -> String {
        let col = self.columns.get(column).copied().unwrap_or_default();
        format!(
            "sheet {}, cell {}{row} ({header})",
            self.sheet,
            letters(col)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_the_spreadsheet_convention() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
        assert_eq!(a1(6, 3), "D7");
    }

    #[test]
    fn numbers_become_their_shortest_exact_decimal() {
        assert_eq!(number_text(123.4567).unwrap(), "123.4567");
        assert_eq!(number_text(0.1).unwrap(), "0.1");
        assert_eq!(number_text(500.0).unwrap(), "500");
        assert_eq!(number_text(1e21).unwrap(), "1000000000000000000000");
        assert!(number_text(f64::NAN).is_err());
        assert!(number_text(f64::INFINITY).is_err());
    }

    #[test]
    fn typed_cells_keep_their_kind() {
        let c = convert(&Data::Float(12.5)).unwrap();
        assert_eq!((c.text.as_str(), c.kind), ("12.5", Kind::Number));
        let c = convert(&Data::Bool(true)).unwrap();
        assert_eq!((c.text.as_str(), c.kind), ("true", Kind::Bool));
        let c = convert(&Data::Error(calamine::CellErrorType::NA)).unwrap();
        assert_eq!((c.text.as_str(), c.kind), ("#N/A", Kind::Error));
        let c = convert(&Data::String("  Q01 ".into())).unwrap();
        assert_eq!((c.text.as_str(), c.kind), ("Q01", Kind::Text));
    }
}
