//! The loader: takes records from any reader, checks duplicates, stores them and keeps the
//! load report, so that rows read always equal rows loaded plus rows rejected, in total and per
//! source.

use super::builder::Record;
use super::canonical::RowError;
use super::ReadError;
use crate::cube::Cube;
use crate::model::{ContactRecord, Contacts, Dataset, IdIndex};
use crate::report::{LoadReport, Problem, Reason, SourceCounts};

/// Collects rows from one or more sources into a [`Dataset`].
#[derive(Debug, Default)]
pub struct Loader {
    ds: Dataset,
    /// The contact ids loaded, to reject duplicates (a range check while they are numbered
    /// in sequence).
    seen: IdIndex,
    /// The entry of `ds.report.sources` rows are counted in.
    current: usize,
    /// The source the cube came from, when one was loaded.
    cube_source: Option<String>,
    /// The sources of contact rows, in load order.
    contact_sources: Vec<String>,
}

/// How a row ended, for the counts.
#[derive(Clone, Copy)]
enum Outcome {
    Loaded { warnings: u64 },
    Rejected,
}

/// The entry of `rep.sources` for `file`: the current one when its name matches, else the
/// last one of that name, else a new one.
fn source_slot(rep: &mut LoadReport, current: usize, file: &str) -> usize {
    if rep.sources.get(current).is_some_and(|s| s.name == file) {
        return current;
    }
    if let Some(k) = rep.sources.iter().rposition(|s| s.name == file) {
        return k;
    }
    rep.sources.push(SourceCounts {
        name: file.to_string(),
        ..Default::default()
    });
    rep.sources.len() - 1
}

/// Counts one row of `file`, in the totals and in its source's counts.
fn count(rep: &mut LoadReport, current: &mut usize, file: &str, outcome: Outcome) {
    *current = source_slot(rep, *current, file);
    let src = &mut rep.sources[*current];
    rep.rows_read += 1;
    src.rows_read += 1;
    match outcome {
        Outcome::Loaded { warnings } => {
            rep.rows_loaded += 1;
            src.rows_loaded += 1;
            src.warnings += warnings;
        }
        Outcome::Rejected => {
            rep.rows_rejected += 1;
            src.rows_rejected += 1;
        }
    }
}

impl Loader {
    /// A loader with an empty dataset.
    pub fn new() -> Self {
        Loader {
            ds: Dataset {
                contacts: crate::model::Contacts::new(),
                ..Default::default()
            },
            seen: IdIndex::default(),
            current: 0,
            cube_source: None,
            contact_sources: Vec::new(),
        }
    }

    /// True when nothing has been read into the loader yet (no source begun).
    pub fn is_empty(&self) -> bool {
        self.ds.report.sources.is_empty()
    }

    /// Starts a source named `file`: its rows are counted apart from the sources before it
    /// (it is listed in the report's `sources` even when it has no rows). A source started
    /// under the name of an earlier one gets its own entry.
    pub fn begin_source(&mut self, file: &str) {
        let sources = &mut self.ds.report.sources;
        sources.push(SourceCounts {
            name: file.to_string(),
            ..Default::default()
        });
        self.current = sources.len() - 1;
    }

    /// Accounts for one data row of `file` at `line`: loads it, or records why not.
    /// `raw` makes the row's text for the rejected-rows export (only for a row rejected; a
    /// trait object so that this function is compiled once for every reader).
    pub fn row(
        &mut self,
        file: &str,
        line: u64,
        raw: &dyn Fn() -> String,
        parsed: Result<(ContactRecord, Vec<RowError>), RowError>,
    ) {
        let rep = &mut self.ds.report;
        let current = &mut self.current;
        match parsed {
            Ok((rec, warnings)) => {
                let seen = self.seen.get_or_insert(&self.ds.contacts.ids, &rec.id);
                if seen.is_some() {
                    count(rep, current, file, Outcome::Rejected);
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
                let n = warnings.len() as u64;
                count(rep, current, file, Outcome::Loaded { warnings: n });
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
                self.ds.contacts.push(&rec);
            }
            Err(e) => {
                count(rep, current, file, Outcome::Rejected);
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

    /// The first step of appending a contact column by column (the Arrow reader's columnar
    /// path): appends `id` to the id column and returns true, or returns false when `id` is
    /// loaded already (nothing is changed; the row must then go through [`Loader::row`], which
    /// rejects it). The caller appends the contact's other columns to [`Loader::contacts_mut`]
    /// and counts it with [`Loader::count_loaded`] before any other row reaches the loader.
    pub(crate) fn push_new_id(&mut self, id: &str) -> bool {
        self.seen
            .get_or_push(&mut self.ds.contacts.ids, id)
            .is_none()
    }

    /// The contacts table being loaded, for a reader that appends columns itself (see
    /// [`Loader::push_new_id`]).
    pub(crate) fn contacts_mut(&mut self) -> &mut Contacts {
        &mut self.ds.contacts
    }

    /// Counts `n` rows of `file` loaded without warnings, as `n` calls of [`Loader::row`]
    /// would.
    pub(crate) fn count_loaded(&mut self, file: &str, n: u64) {
        if n == 0 {
            return;
        }
        let rep = &mut self.ds.report;
        self.current = source_slot(rep, self.current, file);
        let src = &mut rep.sources[self.current];
        rep.rows_read += n;
        rep.rows_loaded += n;
        src.rows_read += n;
        src.rows_loaded += n;
    }

    /// Accounts for one data row of any table: loads it, or records why not.
    pub fn record(
        &mut self,
        file: &str,
        line: u64,
        raw: &dyn Fn() -> String,
        parsed: Result<Record, RowError>,
    ) {
        match parsed {
            Ok(Record::Contact(c, w)) => self.row(file, line, raw, Ok((c, w))),
            Err(e) => self.row(file, line, raw, Err(e)),
            Ok(Record::Agent(a)) => {
                let loaded = Outcome::Loaded { warnings: 0 };
                count(&mut self.ds.report, &mut self.current, file, loaded);
                self.ds.agents.rows.push(a);
            }
            Ok(Record::Daily(d)) => {
                let loaded = Outcome::Loaded { warnings: 0 };
                count(&mut self.ds.report, &mut self.current, file, loaded);
                self.ds.daily.rows.push(d);
            }
        }
    }

    /// Checks that a source named `file` may join what is loaded: a cube (`cube`) and contact
    /// rows (`contacts`) never mix, and there is at most one cube. Call before reading it.
    pub(crate) fn admit(&self, file: &str, cube: bool, contacts: bool) -> Result<(), ReadError> {
        if cube {
            if let Some(first) = &self.cube_source {
                return Err(ReadError::SecondCube {
                    first: first.clone(),
                });
            }
            if let Some(rows) = self.contact_sources.first() {
                return Err(ReadError::CubeWithRows {
                    cube: file.to_string(),
                    rows: rows.clone(),
                });
            }
        }
        if contacts {
            if let Some(c) = &self.cube_source {
                return Err(ReadError::CubeWithRows {
                    cube: c.clone(),
                    rows: file.to_string(),
                });
            }
        }
        Ok(())
    }

    /// Records that the source `file` (already begun) provides contact rows.
    pub(crate) fn note_contact_source(&mut self, file: &str) {
        self.contact_sources.push(file.to_string());
    }

    /// Takes a whole cube read from `file` (already begun): each of its rows counts as one
    /// row read and loaded of that source.
    pub(crate) fn cube(&mut self, file: &str, cube: Cube) {
        let n = cube.cells.len() as u64;
        let slot = source_slot(&mut self.ds.report, self.current, file);
        self.current = slot;
        let rep = &mut self.ds.report;
        rep.rows_read += n;
        rep.rows_loaded += n;
        rep.sources[slot].rows_read += n;
        rep.sources[slot].rows_loaded += n;
        self.cube_source = Some(file.to_string());
        self.ds.cube = Some(cube);
    }

    /// The source of the loaded cube, if any.
    pub fn cube_source(&self) -> Option<&str> {
        self.cube_source.as_deref()
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
