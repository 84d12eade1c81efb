//! The row sources of a [`super::LoadJob`]: a streaming CSV reader, and segments of rows
//! already parsed (JSON arrays, NDJSON lines, workbook sheets), each read one row at a time
//! into the [`Loader`].

use super::builder::RowBuilder;
use super::canonical::RowError;
use super::json::{object_cells, JsonItem};
use super::loader::Loader;
use crate::report::Reason;
use std::io::Cursor;

pub(super) struct CsvState {
    pub(super) rdr: csv::Reader<Cursor<Vec<u8>>>,
    pub(super) builder: RowBuilder,
    pub(super) n_headers: usize,
    pub(super) delimiter: u8,
    pub(super) rec: csv::StringRecord,
    /// Length of the text after transcoding (Latin-1 grows), to scale positions to the source.
    pub(super) text_len: u64,
}

pub(super) enum Rows {
    Json(Vec<JsonItem>),
    Cells(Vec<(u64, Vec<String>)>),
}

pub(super) struct Segment {
    pub(super) builder: RowBuilder,
    pub(super) headers: Vec<String>,
    pub(super) rows: Rows,
    pub(super) next: usize,
}

impl Segment {
    pub(super) fn len(&self) -> usize {
        match &self.rows {
            Rows::Json(v) => v.len(),
            Rows::Cells(v) => v.len(),
        }
    }
}

fn bad(value: String, reason: Reason) -> RowError {
    RowError {
        field: String::new(),
        value,
        reason,
    }
}

/// Reads one CSV record into `loader`; false at the end.
pub(super) fn csv_row(st: &mut CsvState, file: &str, loader: &mut Loader) -> bool {
    let rec = &mut st.rec;
    match st.rdr.read_record(rec) {
        Ok(false) => false,
        Ok(true) => {
            let line = rec.position().map_or(0, |p| p.line());
            let d = st.delimiter;
            let raw = || join_raw(rec.iter(), d);
            if rec.len() != st.n_headers {
                let msg = format!("{} fields, header has {}", rec.len(), st.n_headers);
                loader.record(file, line, &raw, Err(bad(msg, Reason::WrongFieldCount)));
                return true;
            }
            let cells: Vec<&str> = rec.iter().collect();
            loader.record(file, line, &raw, st.builder.build(&cells));
            true
        }
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            loader.record(
                file,
                line,
                &String::new,
                Err(bad(e.to_string(), Reason::Malformed)),
            );
            // Invalid UTF-8 cannot happen (the text was transcoded); anything else is fatal.
            matches!(e.kind(), csv::ErrorKind::Utf8 { .. })
        }
    }
}

pub(super) fn segment_row(seg: &Segment, file: &str, loader: &mut Loader) {
    match &seg.rows {
        Rows::Json(items) => {
            let (line, item) = &items[seg.next];
            match item {
                Ok(serde_json::Value::Object(o)) => {
                    let cells = object_cells(o, &seg.headers);
                    let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
                    let raw = || serde_json::Value::Object(o.clone()).to_string();
                    loader.record(file, *line, &raw, seg.builder.build(&refs));
                }
                Ok(other) => {
                    let raw = || other.to_string();
                    let e = bad("not an object".into(), Reason::Malformed);
                    loader.record(file, *line, &raw, Err(e));
                }
                Err(msg) => {
                    loader.record(
                        file,
                        *line,
                        &String::new,
                        Err(bad(msg.clone(), Reason::Malformed)),
                    );
                }
            }
        }
        Rows::Cells(rows) => {
            let (line, cells) = &rows[seg.next];
            let mut refs: Vec<&str> = cells.iter().map(String::as_str).collect();
            refs.resize(seg.headers.len().max(refs.len()), "");
            let raw = || join_raw(cells.iter().map(String::as_str), b',');
            loader.record(file, *line, &raw, seg.builder.build(&refs));
        }
    }
}

/// A row as one CSV line (fields quoted where needed), for the rejected-rows export.
pub(crate) fn join_raw<'a>(fields: impl Iterator<Item = &'a str>, delimiter: u8) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let fields: Vec<&str> = fields.collect();
    let _ = w.write_record(&fields);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches(['\r', '\n'])
        .to_string()
}
