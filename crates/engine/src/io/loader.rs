//! The loader: takes records from any reader, checks duplicates, stores them and keeps the
//! load report, so that rows read always equal rows loaded plus rows rejected.

use super::builder::Record;
use super::canonical::RowError;
use crate::model::HashIndex;
use crate::model::{ContactRecord, Dataset};
use crate::report::{Problem, Reason};

/// Collects rows from one or more sources into a [`Dataset`].
#[derive(Debug, Default)]
pub struct Loader {
    ds: Dataset,
    seen: HashIndex,
}

impl Loader {
    /// A loader with an empty dataset.
    pub fn new() -> Self {
        Loader {
            ds: Dataset {
                contacts: crate::model::Contacts::new(),
                ..Default::default()
            },
            seen: HashIndex::default(),
        }
    }

    /// Accounts for one data row of `file` at `line`: loads it, or records why not.
    /// `raw` is the row's text for the rejected-rows export.
    pub fn row(
        &mut self,
        file: &str,
        line: u64,
        raw: impl FnOnce() -> String,
        parsed: Result<(ContactRecord, Vec<RowError>), RowError>,
    ) {
        let rep = &mut self.ds.report;
        rep.rows_read += 1;
        match parsed {
            Ok((rec, warnings)) => {
                let row = self.ds.contacts.len() as u32;
                let ids = &self.ds.contacts.ids;
                let seen = self
                    .seen
                    .get_or_insert(&rec.id, row, |r| ids.get(r as usize) == rec.id);
                if seen.is_some() {
                    rep.rows_rejected += 1;
                    rep.rejected.push(Problem {
                        file: file.into(),
                        line,
                        field: "id".into(),
                        value: rec.id,
                        reason: Reason::DuplicateId,
                        raw: raw(),
                    });
                    return;
                }
                for w in warnings {
                    rep.warnings.push(Problem {
                        file: file.into(),
                        line,
                        field: w.field,
                        value: w.value,
                        reason: w.reason,
                        raw: String::new(),
                    });
                }
                rep.rows_loaded += 1;
                self.ds.contacts.push(&rec);
            }
            Err(e) => {
                rep.rows_rejected += 1;
                rep.rejected.push(Problem {
                    file: file.into(),
                    line,
                    field: e.field,
                    value: e.value,
                    reason: e.reason,
                    raw: raw(),
                });
            }
        }
    }

    /// Accounts for one data row of any table: loads it, or records why not.
    pub fn record(
        &mut self,
        file: &str,
        line: u64,
        raw: impl FnOnce() -> String,
        parsed: Result<Record, RowError>,
    ) {
        match parsed {
            Ok(Record::Contact(c, w)) => self.row(file, line, raw, Ok((c, w))),
            Err(e) => self.row(file, line, raw, Err(e)),
            Ok(Record::Agent(a)) => {
                self.ds.report.rows_read += 1;
                self.ds.report.rows_loaded += 1;
                self.ds.agents.rows.push(a);
            }
            Ok(Record::Daily(d)) => {
                self.ds.report.rows_read += 1;
                self.ds.report.rows_loaded += 1;
                self.ds.daily.rows.push(d);
            }
        }
    }

    /// The load report so far.
    pub fn report(&self) -> &crate::report::LoadReport {
        &self.ds.report
    }

    /// Sorts and indexes, and hands over the dataset.
    pub fn finish(mut self) -> Dataset {
        self.ds.finish();
        self.ds
    }
}
