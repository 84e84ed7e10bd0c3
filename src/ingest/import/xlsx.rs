//! Spreadsheets (.xlsx) as ACLED's account pages and HDX give them: one sheet (the first,
//! or the one named as `file.xlsx:Sheet`) read through calamine into the CSV table the
//! importers read, so that it is mapped exactly as the CSV export is. Positions in messages
//! are `file.xlsx:Sheet:row:column` in the sheet's own numbering.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, NaiveDate};

use super::table::TableText;
use crate::domain::text::clean;
use crate::ingest::input::{Diagnostic, InputFile, Shape};

fn fail(name: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic { file: name.to_string(), line: 1, column: 1, message: message.into() }
}

/// A cell as the CSV export writes it: whole numbers without `.0`, dates as yyyy-mm-dd.
fn cell(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => serial_date(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string()),
        Data::Error(e) => e.to_string(),
    }
}

/// A spreadsheet's serial day number (days since 30 December 1899) as yyyy-mm-dd, with the
/// time when there is one.
fn serial_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(0.0..3e6).contains(&serial) {
        return None;
    }
    let days = serial.floor();
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let day = epoch.checked_add_signed(Duration::try_days(days as i64)?)?;
    let seconds = ((serial - days) * 86_400.0).round() as i64;
    if seconds == 0 {
        return Some(day.format("%Y-%m-%d").to_string());
    }
    let time = day.and_hms_opt(0, 0, 0)?.checked_add_signed(Duration::try_seconds(seconds)?)?;
    Some(time.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// The chosen sheet of a workbook as a table named `file.xlsx:Sheet`.
///
/// # Errors
/// A workbook calamine cannot read, or no sheet of that name.
pub fn to_table(name: &str, bytes: Vec<u8>, sheet: Option<&str>) -> Result<InputFile, Diagnostic> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        fail(name, format!("is not a spreadsheet sitdash can read ({e}); save it again as .xlsx or CSV"))
    })?;
    let names = book.sheet_names();
    let chosen = match sheet {
        Some(wanted) => names.iter().find(|n| n.as_str() == wanted).or_else(|| {
            // A sheet's name as typed, in another case.
            names.iter().find(|n| n.eq_ignore_ascii_case(wanted))
        }),
        None => names.first(),
    };
    let Some(chosen) = chosen.cloned() else {
        let listed = names.iter().map(|n| format!("`{}`", clean(n))).collect::<Vec<_>>().join(", ");
        return Err(match sheet {
            Some(wanted) => fail(name, format!("has no sheet `{}`; its sheets are {listed}", clean(wanted))),
            None => fail(name, "has no sheets; save it again with the data on a sheet"),
        });
    };
    let label = format!("{name}:{}", clean(&chosen));
    let range = book.worksheet_range(&chosen).map_err(|e| fail(&label, format!("cannot be read ({e})")))?;
    let (first_row, first_column) = range.start().map_or((1, 1), |(r, c)| (r as usize + 1, c as usize + 1));
    let mut table = TableText::new();
    let mut cells = Vec::new();
    for (i, row) in range.rows().enumerate() {
        cells.clear();
        cells.extend(row.iter().map(cell));
        table.row(first_row + i, cells.iter().map(String::as_str));
    }
    Ok(table.finish(label, Shape::Sheet { first_row, first_column }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_days_are_dates() {
        assert_eq!(serial_date(43_866.0).as_deref(), Some("2020-02-05"));
        assert_eq!(serial_date(43_866.5).as_deref(), Some("2020-02-05 12:00:00"));
        assert_eq!(serial_date(f64::NAN), None);
        assert_eq!(cell(&Data::Float(3.0)), "3");
        assert_eq!(cell(&Data::Float(-1.2833)), "-1.2833");
    }
}
