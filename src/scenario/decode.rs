//! Turning the bytes of an input file into text, and refusing what a spreadsheet leaves in a CSV
//! that cannot be read as values. Planners save tables from Excel, whose plain "CSV" on a Chinese
//! Windows is GBK, not UTF-8; that is unambiguous (a file that is not UTF-8 but decodes as GB18030
//! without a single error), so it is accepted. Anything that is neither is refused at the first bad
//! byte, by line and offset, so the planner can find it.

use crate::error::{Error, Result};
use encoding_rs::{DecoderResult, GB18030};
use std::borrow::Cow;
use std::fmt::Display;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where a bad byte sequence is: `line 3 (byte 57)`, counting lines from 1 and bytes from 0.
/// A newline byte is a newline in UTF-8 and in GB18030 alike (no multi-byte sequence contains it).
fn place(bytes: &[u8], offset: usize) -> String {
    let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    format!("line {line} (byte {offset})")
}

/// The bytes of a bad sequence as the planner would look them up in a hex viewer: `"\xff\x41"`.
fn quoted(bytes: &[u8]) -> String {
    let escaped: String = bytes.iter().map(|b| format!("\\x{b:02x}")).collect();
    format!("\"{escaped}\"")
}

/// UTF-16 (Excel's "Unicode text") is recognised by its byte-order mark and refused by name,
/// rather than as a wall of bad bytes.
fn refuse_utf16(file: &dyn Display, bytes: &[u8], save_as: &str) -> Result<()> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Error::input(
            file,
            "",
            format!("is UTF-16 text (Excel's \"Unicode text\"); {save_as}"),
        ));
    }
    Ok(())
}

/// The first invalid UTF-8 sequence: its offset and its bytes.
fn utf8_error(bytes: &[u8], e: std::str::Utf8Error) -> (usize, &[u8]) {
    let start = e.valid_up_to();
    let len = e.error_len().unwrap_or(bytes.len() - start);
    (start, &bytes[start..start + len])
}

/// Reads a file that must be UTF-8 (a scenario: TOML and JSON are UTF-8 by definition). A leading
/// byte-order mark is dropped.
pub(crate) fn utf8<'a>(file: &dyn Display, bytes: &'a [u8]) -> Result<&'a str> {
    let save_as = "save the file as UTF-8";
    refuse_utf16(file, bytes, save_as)?;
    strict_utf8(file, bytes, save_as)
}

/// UTF-8 after an optional byte-order mark, or the place of the first bad sequence.
fn strict_utf8<'a>(file: &dyn Display, bytes: &'a [u8], save_as: &str) -> Result<&'a str> {
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    std::str::from_utf8(body).map_err(|e| {
        let skipped = bytes.len() - body.len();
        let (at, bad) = utf8_error(body, e);
        Error::input(
            file,
            place(bytes, at + skipped),
            format!("{} is not UTF-8 text; {save_as}", quoted(bad)),
        )
    })
}

/// Decodes GB18030 (a superset of GBK and GB2312) without replacing anything: the text, or the
/// offset and bytes of the first malformed sequence.
fn gb18030(bytes: &[u8]) -> std::result::Result<String, (usize, &[u8])> {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(4));
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text),
        DecoderResult::Malformed(len, after) => {
            let end = read - usize::from(after);
            let start = end.saturating_sub(usize::from(len));
            Err((start, &bytes[start..end]))
        }
        // The buffer is sized for the worst case, so the decoder never runs out of room.
        DecoderResult::OutputFull => Err((read, &bytes[read..(read + 1).min(bytes.len())])),
    }
}

/// Reads a table saved by a spreadsheet: UTF-8 (a byte-order mark is dropped), or else GBK /
/// GB18030 when the whole file decodes as that without error.
pub(crate) fn table_text<'a>(file: &dyn Display, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    let save_as = "save the sheet as \"CSV UTF-8\"";
    refuse_utf16(file, bytes, save_as)?;
    if bytes.starts_with(UTF8_BOM) {
        // A UTF-8 byte-order mark says what the file is: no second guess.
        return strict_utf8(file, bytes, save_as).map(Cow::Borrowed);
    }
    let utf8_failure = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok(Cow::Borrowed(text)),
        Err(e) => utf8_error(bytes, e),
    };
    match gb18030(bytes) {
        Ok(text) => Ok(Cow::Owned(text)),
        Err(gb_failure) => {
            // The reading that got further is the likelier encoding; its failure is the real
            // bad byte (a GBK file with one corrupt byte fails UTF-8 at its first Chinese letter).
            let (at, bad) = if gb_failure.0 > utf8_failure.0 {
                gb_failure
            } else {
                utf8_failure
            };
            Err(Error::input(
                file,
                place(bytes, at),
                format!(
                    "{} is neither UTF-8 nor GBK/GB18030 text; {save_as}",
                    quoted(bad)
                ),
            ))
        }
    }
}

/// Reads an applications table: [`table_text`], then a look over every cell for what a
/// spreadsheet can leave that is not a value: formulas (`=SUM(C2:C9)`), two columns with the
/// same header, values in a column without a header. Row numbers are the CSV reader's line
/// numbers, as in every other message about the table. Malformed CSV (bad quotes, rows of the
/// wrong length) is left to the table reader, which reports it.
pub(crate) fn applications_text<'a>(file: &dyn Display, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    let text = table_text(file, bytes)?;
    if text.trim().is_empty() {
        return Err(Error::input(
            file,
            "",
            "the file is empty; it needs a header row and one row per application",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut headers: Vec<String> = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let Ok(record) = record else { break };
        let row = record.position().map_or(0, |p| p.line());
        if index == 0 {
            headers = record.iter().map(str::to_string).collect();
            check_headers(file, row, &headers)?;
        }
        for (col, cell) in record.iter().enumerate() {
            let at = || match headers.get(col).filter(|h| !h.is_empty()) {
                Some(h) => format!("row {row}, column {h:?}"),
                None => format!("row {row}, column {}", col + 1),
            };
            if is_formula(cell) {
                return Err(Error::input(
                    file,
                    at(),
                    format!(
                        "{cell:?} is a spreadsheet formula; formulas are not evaluated: \
                         export the sheet with its values (\"CSV UTF-8\")"
                    ),
                ));
            }
            if index > 0 && !cell.is_empty() && headers.get(col).is_some_and(|h| h.is_empty()) {
                return Err(Error::input(
                    file,
                    at(),
                    format!(
                        "{cell:?} is in a column without a header; name the column or delete it"
                    ),
                ));
            }
        }
    }
    Ok(text)
}

/// A cell that a spreadsheet would compute: `=` and something after it.
fn is_formula(cell: &str) -> bool {
    cell.trim_start()
        .strip_prefix('=')
        .is_some_and(|rest| !rest.trim().is_empty())
}

/// The same header twice (compared as the table reader compares them: trimmed, ignoring case),
/// named with both column numbers.
fn check_headers(file: &dyn Display, row: u64, headers: &[String]) -> Result<()> {
    for (j, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(i) = headers[..j]
            .iter()
            .position(|g| g.to_lowercase() == h.to_lowercase())
        {
            return Err(Error::input(
                file,
                format!("row {row}"),
                format!(
                    "columns {} and {} are both headed {h:?}; rename or delete one",
                    i + 1,
                    j + 1
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "项目编号,金额\nG01,1\n" as Excel saves it on a Chinese Windows.
    fn gbk_sample() -> Vec<u8> {
        let (bytes, _, unmappable) = GB18030.encode("项目编号,金额\nG01,1\n");
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn utf8_with_and_without_a_byte_order_mark() {
        assert_eq!(table_text(&"a.csv", b"id\n").unwrap(), "id\n");
        assert_eq!(table_text(&"a.csv", b"\xEF\xBB\xBFid\n").unwrap(), "id\n");
        assert_eq!(utf8(&"s.toml", b"\xEF\xBB\xBFx = 1").unwrap(), "x = 1");
    }

    #[test]
    fn gbk_is_decoded() {
        let bytes = gbk_sample();
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(
            table_text(&"a.csv", &bytes).unwrap(),
            "项目编号,金额\nG01,1\n"
        );
    }

    #[test]
    fn a_corrupt_gbk_byte_is_located() {
        let mut bytes = gbk_sample();
        bytes.extend_from_slice(b"G02,\xFF\n");
        let at = bytes.len() - 2;
        let e = table_text(&"a.csv", &bytes).unwrap_err().to_string();
        assert_eq!(
            e,
            format!("a.csv: line 3 (byte {at}): \"\\xff\" is neither UTF-8 nor GBK/GB18030 text; save the sheet as \"CSV UTF-8\"")
        );
    }

    #[test]
    fn a_bom_marked_file_must_be_utf8() {
        let e = table_text(&"a.csv", b"\xEF\xBB\xBFid\n\xC4\xE3\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "a.csv: line 2 (byte 6): \"\\xc4\" is not UTF-8 text; save the sheet as \"CSV UTF-8\""
        );
    }

    #[test]
    fn utf16_is_named() {
        let e = table_text(&"a.csv", b"\xFF\xFEi\0d\0")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "a.csv: is UTF-16 text (Excel's \"Unicode text\"); save the sheet as \"CSV UTF-8\""
        );
    }

    #[test]
    fn formulas_are_refused_and_a_lone_equals_sign_is_text() {
        assert!(is_formula("=SUM(C2:C9)"));
        assert!(is_formula(" =A1"));
        assert!(!is_formula("="));
        assert!(!is_formula("a=b"));
        let e = applications_text(&"a.csv", b"id,equipment\nA,=B1*2\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("a.csv: row 2, column \"equipment\": \"=B1*2\" is a spreadsheet formula"),
            "{e}"
        );
    }

    #[test]
    fn the_same_header_twice_names_both_columns() {
        let e = applications_text(&"a.csv", b"id,Note,rounds,note\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "a.csv: row 1: columns 2 and 4 are both headed \"note\"; rename or delete one"
        );
    }
}
