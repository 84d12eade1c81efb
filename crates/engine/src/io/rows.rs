//! The row sources of a [`super::LoadJob`]: a streaming CSV reader, and segments of rows
//! already parsed (JSON arrays, NDJSON lines, workbook sheets), each read one row at a time
//! into the [`Loader`].

use super::builder::RowBuilder;
use super::canonical::RowError;
use super::csv_text::{CsvText, Next};
use super::json::{object_cells, JsonItem};
use super::loader::Loader;
use crate::report::Reason;

pub(super) struct CsvState {
    pub(super) text: CsvText,
    pub(super) builder: RowBuilder,
    pub(super) n_headers: usize,
}

/// What [`csv_row`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CsvStep {
    /// Read one record into the loader.
    Row,
    /// The text has no further whole record yet.
    Waiting,
    /// Every record was read.
    End,
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

/// Reads the next CSV record into `loader`.
pub(super) fn csv_row(st: &mut CsvState, file: &str, loader: &mut Loader) -> CsvStep {
    match st.text.next() {
        Next::Record => {}
        Next::Waiting => return CsvStep::Waiting,
        Next::End => return CsvStep::End,
    }
    let line = st.text.line();
    let cells = st.text.cells();
    let d = st.text.delimiter();
    let raw = || join_raw(cells.iter().copied(), d);
    if cells.len() != st.n_headers {
        let msg = format!("{} fields, header has {}", cells.len(), st.n_headers);
        loader.record(file, line, &raw, Err(bad(msg, Reason::WrongFieldCount)));
    } else {
        loader.record(file, line, &raw, st.builder.build(&cells));
    }
    CsvStep::Row
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
