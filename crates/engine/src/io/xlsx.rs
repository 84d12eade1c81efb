//! Workbook input (XLSX, and XLS / ODS, via calamine): the first sheet, or a named one; its
//! first row is the header.

use super::ReadError;
use calamine::{open_workbook_auto_from_rs, Data, Reader};
use std::io::Cursor;

pub use super::job::Sheet;

/// Reads sheet `sheet` (or the first) of a workbook.
pub fn read_sheet(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet, ReadError> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::NotATable(format!("not a readable workbook: {e}")))?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(s.trim()))
            .cloned()
            .ok_or_else(|| ReadError::NoSheet {
                sheet: s.to_string(),
                found: names.join(", "),
            })?,
        None => names.first().cloned().ok_or(ReadError::Empty)?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| ReadError::NotATable(format!("sheet \"{name}\": {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let mut rows = range.rows().enumerate();
    let headers: Vec<String> = match rows.next() {
        Some((_, r)) => r.iter().map(|c| cell_text(c).trim().to_string()).collect(),
        None => return Err(ReadError::Empty),
    };
    let data = rows
        .filter(|(_, r)| r.iter().any(|c| *c != Data::Empty))
        .map(|(i, r)| (first_row + i as u64 + 1, r.iter().map(cell_text).collect()))
        .collect();
    Ok((headers, data))
}

/// A cell as text. Dates become ISO `YYYY-MM-DD HH:MM:SS` (naive), durations seconds.
pub fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let days = d.as_f64();
            if d.is_duration() {
                return format!("{}", (days * 86_400.0).round());
            }
            excel_serial_to_iso(days).unwrap_or_default()
        }
    }
}

/// An Excel serial date (days since 1899-12-30) as ISO text.
pub fn excel_serial_to_iso(days: f64) -> Option<String> {
    if !days.is_finite() || !(-1e6..1e7).contains(&days) {
        return None;
    }
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let secs = (days * 86_400.0).round() as i64;
    let t = base.checked_add_signed(chrono::Duration::seconds(secs))?;
    Some(if secs % 86_400 == 0 {
        t.format("%Y-%m-%d").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S").to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_and_garbage() {
        assert_eq!(
            excel_serial_to_iso(45_322.5).as_deref(),
            Some("2024-01-31 12:00:00")
        );
        assert_eq!(excel_serial_to_iso(45_322.0).as_deref(), Some("2024-01-31"));
        assert!(matches!(
            read_sheet(b"PK\x03\x04 not really a zip", None),
            Err(ReadError::NotATable(_))
        ));
    }
}
