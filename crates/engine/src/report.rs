//! What a load did with every row: loaded, rejected (with file, line, field, value and reason),
//! or loaded with a warning.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why a row was rejected, or what a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A required field is empty.
    Missing,
    /// A number, boolean or duration could not be read.
    Unparseable,
    /// A timestamp could not be read.
    BadTimestamp,
    /// A value is outside its allowed range.
    OutOfRange,
    /// `closed_at` is before `arrived_at`.
    ClosedBeforeArrival,
    /// The first response comes after the close.
    ResponseAfterClose,
    /// The id was seen before (the first row is kept).
    DuplicateId,
    /// Unknown channel, loaded as `other` (warning).
    UnknownChannel,
    /// The row has a different number of fields than the header.
    WrongFieldCount,
    /// The record is not an object / not a row of this table.
    Malformed,
}

impl Reason {
    /// A short human sentence.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Missing => "required field is empty",
            Reason::Unparseable => "value could not be read",
            Reason::BadTimestamp => "timestamp could not be read",
            Reason::OutOfRange => "value out of range",
            Reason::ClosedBeforeArrival => "closed before it arrived",
            Reason::ResponseAfterClose => "first response after the close",
            Reason::DuplicateId => "duplicate id (first row kept)",
            Reason::UnknownChannel => "unknown channel, loaded as other",
            Reason::WrongFieldCount => "wrong number of fields",
            Reason::Malformed => "not a record",
        }
    }
}

/// One rejected row or warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Source name (file name or URL).
    pub file: String,
    /// 1-based line (CSV: physical line where the record starts; JSON: record index + 1).
    pub line: u64,
    /// Field name.
    pub field: String,
    /// The offending value, as read (truncated to 200 characters).
    pub value: String,
    /// Why.
    pub reason: Reason,
    /// The whole raw row, for the rejected-rows CSV (empty for warnings).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub raw: String,
}

/// The counts of one source of a load (a file, a URL). Invariant: `rows_read == rows_loaded +
/// rows_rejected`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCounts {
    /// Source name (file name or URL), as in [`Problem::file`].
    pub name: String,
    /// Data rows read from it (header excluded).
    pub rows_read: u64,
    /// Its rows stored.
    pub rows_loaded: u64,
    /// Its rows refused.
    pub rows_rejected: u64,
    /// Warnings on its loaded rows.
    pub warnings: u64,
}

/// Counts and details of one load. Invariants: `rows_read == rows_loaded + rows_rejected`, and
/// when `sources` is not empty each total is the sum of the sources' counts (`warnings.len()`
/// the sum of their `warnings`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    /// Data rows read (header excluded).
    pub rows_read: u64,
    /// Rows stored.
    pub rows_loaded: u64,
    /// Rows refused.
    pub rows_rejected: u64,
    /// One entry per rejected row.
    pub rejected: Vec<Problem>,
    /// Loaded rows with a warning.
    pub warnings: Vec<Problem>,
    /// The counts per source, in load order (empty for a dataset that was not loaded through
    /// [`crate::io::Loader`], such as a live window).
    #[serde(default)]
    pub sources: Vec<SourceCounts>,
}

impl LoadReport {
    /// Adds the counts and problems of `other`; its sources follow this report's.
    pub fn merge(&mut self, other: LoadReport) {
        self.rows_read += other.rows_read;
        self.rows_loaded += other.rows_loaded;
        self.rows_rejected += other.rows_rejected;
        self.rejected.extend(other.rejected);
        self.warnings.extend(other.warnings);
        self.sources.extend(other.sources);
    }

    /// The rejected rows as CSV, header `file,line,field,value,reason,raw`, for download.
    pub fn rejected_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["file", "line", "field", "value", "reason", "raw"]);
        for p in &self.rejected {
            let line = p.line.to_string();
            let reason = serde_json::to_value(p.reason)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            let _ = w.write_record([&p.file, &line, &p.field, &p.value, &reason, &p.raw]);
        }
        String::from_utf8_lossy(&w.into_inner().unwrap_or_default()).into_owned()
    }

    /// Rejections grouped by reason: count and up to `examples` first problems each.
    pub fn by_reason(&self, examples: usize) -> BTreeMap<Reason, (usize, Vec<&Problem>)> {
        let mut m: BTreeMap<Reason, (usize, Vec<&Problem>)> = BTreeMap::new();
        for p in self.rejected.iter().chain(&self.warnings) {
            let e = m.entry(p.reason).or_default();
            e.0 += 1;
            if e.1.len() < examples {
                e.1.push(p);
            }
        }
        m
    }
}
