//! An incremental load: the browser calls [`LoadJob::step`] with a row budget between frames
//! and draws a progress bar from the [`Progress`] it returns; [`super::load_bytes`] runs the
//! same job to the end in one go.

use super::builder::RowBuilder;
use super::csv_text::{self, CsvText};
use super::format::{detect_table, Format};
use super::json::{keys_union, parse_json, parse_ndjson};
use super::loader::Loader;
use super::mapping::{Mapping, Table};
use super::rows::{csv_row, segment_row, CsvState, CsvStep, Rows, Segment};
use super::{check_head, ReadError};
use crate::arrow_ipc::ArrowRows;
use serde::Serialize;
use std::collections::VecDeque;

/// A sheet as text: the header and the data rows with their sheet row numbers (1-based).
pub type Sheet = (Vec<String>, Vec<(u64, Vec<String>)>);

/// How to read one source.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions<'a> {
    /// The format; detected from the name, then the content, when `None`.
    pub format: Option<Format>,
    /// The mapping of a foreign export; `None`: the file must be canonical.
    pub mapping: Option<&'a Mapping>,
    /// Time zone of naive timestamps (a mapping may name its own).
    pub tz: crate::zone::Zone,
    /// Workbook sheet to read (else the mapping's, else the first).
    pub sheet: Option<String>,
}

/// How far a load is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Progress {
    /// Bytes of the source consumed (estimated for JSON, workbooks and Arrow).
    pub bytes_done: u64,
    /// Size of the source.
    pub bytes_total: u64,
    /// Data rows read so far (loaded + rejected).
    pub rows_done: u64,
    /// True when the source is fully read.
    pub done: bool,
}

enum State {
    Csv(Box<CsvState>),
    Arrow(Box<crate::arrow_ipc::ArrowRows>),
    Segments {
        segs: VecDeque<Segment>,
        rows_total: u64,
    },
    /// A source arriving ([`LoadJob::arriving`]) before it can be read: its first bytes and
    /// how to read it. An Arrow source stays here until its schema is whole, a CSV source
    /// until its header record and its first 4 KiB are; a CSV cube, a CSV whose header has not
    /// ended within its first MiB, a CSV of less than 4 KiB or with no `\n`, and any other
    /// format stay here until the end and are read whole.
    Head {
        head: Vec<u8>,
        mapping: Option<Box<Mapping>>,
        tz: crate::zone::Zone,
        format: Option<Format>,
        /// True once the source is to be read whole at its end (a CSV header that did not end
        /// within its first MiB).
        at_end: bool,
    },
    /// Read in one go when the job started (a cube); nothing left to step through.
    Done,
}

impl State {
    /// True when the rows are contacts (a cube is not rows).
    fn yields_contacts(&self) -> bool {
        match self {
            State::Csv(st) => st.builder.table() == Table::Contacts,
            State::Arrow(rows) => rows.yields_contacts(),
            State::Segments { segs, .. } => {
                segs.iter().any(|s| s.builder.table() == Table::Contacts)
            }
            State::Head { .. } | State::Done => false,
        }
    }
}

/// A source being read into a [`Loader`].
pub struct LoadJob {
    file: String,
    total: u64,
    loader: Loader,
    state: State,
    rows_done: u64,
}

fn builder_for(
    headers: &[String],
    table: Option<Table>,
    opts: &LoadOptions,
) -> Result<RowBuilder, ReadError> {
    match opts.mapping {
        Some(m) if table.is_none_or(|t| t == m.table) => RowBuilder::new(m, headers, opts.tz),
        _ => {
            let t =
                table
                    .or_else(|| detect_table(headers))
                    .ok_or_else(|| ReadError::NotCanonical {
                        found: headers.join(", "),
                    })?;
            RowBuilder::new(&Mapping::identity(t), headers, opts.tz)
        }
    }
}

fn sheet_state((headers, rows): Sheet, opts: &LoadOptions) -> Result<State, ReadError> {
    if headers.iter().all(|h| h.is_empty()) {
        return Err(ReadError::Empty);
    }
    let builder = builder_for(&headers, None, opts)?;
    let rows_total = rows.len() as u64;
    let seg = Segment {
        builder,
        headers,
        rows: Rows::Cells(rows),
        next: 0,
    };
    Ok(State::Segments {
        segs: VecDeque::from([seg]),
        rows_total,
    })
}

/// A source read whole, before it joins a loader.
enum Whole {
    Rows(State),
    Cube(crate::cube::Cube),
}

/// The header of the CSV `text` (its first record, trimmed); `None` while it has not all
/// arrived. A text with no record has an empty header, which no table has.
fn csv_header(text: &mut CsvText) -> Option<Vec<String>> {
    match text.next() {
        csv_text::Next::Record => Some(text.cells().iter().map(|h| h.trim().to_string()).collect()),
        csv_text::Next::Waiting => None,
        csv_text::Next::End => Some(Vec::new()),
    }
}

/// The rows of the CSV `text`, whose header `headers` was read, mapped under `opts`.
fn csv_state(text: CsvText, headers: &[String], opts: &LoadOptions) -> Result<State, ReadError> {
    let builder = builder_for(headers, None, opts)?;
    Ok(State::Csv(Box::new(CsvState {
        text,
        builder,
        n_headers: headers.len(),
    })))
}

/// Reads `bytes` (named `file`, in `format`) whole: checked, and its header or schema read.
/// A cube must be one `loader` admits.
fn open_whole(
    loader: &Loader,
    file: &str,
    bytes: Vec<u8>,
    format: Format,
    opts: &LoadOptions,
) -> Result<Whole, ReadError> {
    if !matches!(format, Format::Xlsx | Format::Arrow) {
        check_head(&bytes)?;
    } else if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if format == Format::Csv && opts.mapping.is_none() && crate::cube::is_cube_csv(&bytes) {
        loader.admit(file, true, false)?;
        let cube = crate::cube::Cube::from_csv(&bytes).map_err(ReadError::Cube)?;
        return Ok(Whole::Cube(cube));
    }
    let state = match format {
        Format::Csv => {
            let mut text = CsvText::new(bytes, true);
            let headers = csv_header(&mut text).unwrap_or_default();
            csv_state(text, &headers, opts)?
        }
        Format::Json | Format::Ndjson => {
            let parts = if format == Format::Json {
                parse_json(&bytes)?
            } else {
                vec![(None, parse_ndjson(&bytes))]
            };
            let mut segs = VecDeque::new();
            for (table, items) in parts {
                let headers = keys_union(&items);
                if headers.is_empty() && items.iter().all(|(_, v)| v.is_err()) && table.is_none() {
                    return Err(ReadError::NotATable("no JSON objects".into()));
                }
                let builder = builder_for(&headers, table, opts)?;
                segs.push_back(Segment {
                    builder,
                    headers,
                    rows: Rows::Json(items),
                    next: 0,
                });
            }
            let rows_total = segs.iter().map(|s| s.len() as u64).sum();
            State::Segments { segs, rows_total }
        }
        Format::Arrow => State::Arrow(Box::new(ArrowRows::open(bytes, opts.mapping, opts.tz)?)),
        Format::Xlsx => {
            let sheet = opts
                .sheet
                .as_deref()
                .or(opts.mapping.and_then(|m| m.sheet.as_deref()));
            #[cfg(feature = "xlsx")]
            {
                sheet_state(super::xlsx::read_sheet(&bytes, sheet)?, opts)?
            }
            #[cfg(not(feature = "xlsx"))]
            {
                let _ = sheet;
                return Err(ReadError::NotATable(
                    "workbooks are read by the workbook worker in this build".into(),
                ));
            }
        }
    };
    Ok(Whole::Rows(state))
}

impl LoadJob {
    /// Starts reading `bytes` (named `file`) into a fresh dataset.
    pub fn new(file: &str, bytes: Vec<u8>, opts: &LoadOptions) -> Result<LoadJob, ReadError> {
        LoadJob::with_loader(&mut Loader::new(), file, bytes, opts)
    }

    /// Starts reading `bytes` into the dataset `loader` holds (it may hold other sources
    /// already). On success the job takes the loader's content, leaving it empty; get it back
    /// with [`LoadJob::into_loader`]. On error `loader` is untouched.
    pub fn with_loader(
        loader: &mut Loader,
        file: &str,
        bytes: Vec<u8>,
        opts: &LoadOptions,
    ) -> Result<LoadJob, ReadError> {
        let total = bytes.len() as u64;
        let format = opts.format.unwrap_or_else(|| Format::detect(file, &bytes));
        match open_whole(loader, file, bytes, format, opts)? {
            Whole::Cube(cube) => {
                let rows = cube.cells.len() as u64;
                let mut job = LoadJob::start(loader, file, total, State::Done);
                job.loader.cube(file, cube);
                job.rows_done = rows;
                Ok(job)
            }
            Whole::Rows(state) => {
                loader.admit(file, false, state.yields_contacts())?;
                Ok(LoadJob::start(loader, file, total, state))
            }
        }
    }

    /// Starts reading a sheet that was already parsed (the browser parses workbooks in a
    /// worker and hands over the cells); `total` is the workbook's size in bytes.
    pub fn from_sheet(
        file: &str,
        sheet: Sheet,
        total: u64,
        opts: &LoadOptions,
    ) -> Result<LoadJob, ReadError> {
        LoadJob::with_sheet(&mut Loader::new(), file, sheet, total, opts)
    }

    /// Like [`LoadJob::from_sheet`], into the dataset `loader` holds (see
    /// [`LoadJob::with_loader`]); on error `loader` is untouched.
    pub fn with_sheet(
        loader: &mut Loader,
        file: &str,
        sheet: Sheet,
        total: u64,
        opts: &LoadOptions,
    ) -> Result<LoadJob, ReadError> {
        let state = sheet_state(sheet, opts)?;
        loader.admit(file, false, state.yields_contacts())?;
        Ok(LoadJob::start(loader, file, total, state))
    }

    /// A job over `state` that takes the content of `loader`, leaving it empty.
    fn start(loader: &mut Loader, file: &str, total: u64, state: State) -> LoadJob {
        let mut loader = std::mem::take(loader);
        loader.begin_source(file);
        if state.yields_contacts() {
            loader.note_contact_source(file);
        }
        LoadJob {
            file: file.to_string(),
            total,
            loader,
            state,
            rows_done: 0,
        }
    }

    /// Reads up to `max_rows` more rows and tells how far the load is.
    pub fn step(&mut self, max_rows: usize) -> Progress {
        let start = self.rows_done;
        let file = self.file.as_str();
        let loader = &mut self.loader;
        let mut n = 0usize;
        let done = match &mut self.state {
            State::Csv(st) => loop {
                if n >= max_rows {
                    break false;
                }
                match csv_row(st, file, loader) {
                    CsvStep::Row => n += 1,
                    CsvStep::End => break true,
                    CsvStep::Waiting => break false,
                }
            },
            State::Arrow(rows) => {
                let (k, done) = rows.step(max_rows, file, loader);
                n = k;
                done
            }
            State::Segments { segs, .. } => loop {
                if n >= max_rows {
                    break segs.is_empty();
                }
                let Some(seg) = segs.front_mut() else {
                    break true;
                };
                if seg.next >= seg.len() {
                    segs.pop_front();
                    continue;
                }
                segment_row(seg, file, loader);
                seg.next += 1;
                n += 1;
            },
            State::Head { .. } => false,
            State::Done => true,
        };
        self.rows_done = start + n as u64;
        let bytes_done = match &self.state {
            _ if done => self.total,
            State::Csv(st) => st.text.consumed(),
            State::Segments { rows_total, .. } => {
                self.total * self.rows_done / (*rows_total).max(1)
            }
            State::Done => self.total,
            // Received, not read yet.
            State::Head { head, .. } => head.len() as u64,
            // Arriving: the bytes read so far (its batches are read as they come).
            State::Arrow(rows) if rows.arriving() => rows.len_bytes(),
            State::Arrow(rows) => {
                (self.total as u128 * self.rows_done as u128 / rows.rows_total().max(1) as u128)
                    as u64
            }
        };
        Progress {
            bytes_done,
            bytes_total: self.total,
            rows_done: self.rows_done,
            done,
        }
    }

    /// Starts reading a source named `file` that is still arriving (a download), into the
    /// dataset `loader` holds, taking its content like [`LoadJob::with_loader`]. Give it the
    /// bytes with [`LoadJob::feed`] as they come and [`LoadJob::end`] after the last;
    /// [`LoadJob::step`] reads the rows that have arrived, and [`LoadJob::waiting`] tells when
    /// it needs more bytes. `size`, when known, is the source's size (for the progress).
    ///
    /// An Arrow IPC source is read batch by batch as each arrives whole, and the job holds
    /// only the bytes not read yet; a CSV source is read record by record as they arrive, and
    /// the job holds the bytes not read yet and at most about a MiB of those read (they are let
    /// go a MiB at a time). A CSV cube and any other format are read whole once they have all
    /// arrived (see `State::Head`). The format is `opts.format`, else told from the first bytes
    /// and the name.
    ///
    /// The source is checked as it arrives, so `feed` or `end` may fail after rows of it were
    /// loaded: then the job's loader holds part of the source, and the caller must drop it
    /// (which is why the browser streams a source only into an empty loader).
    pub fn arriving(
        loader: &mut Loader,
        file: &str,
        opts: &LoadOptions,
        size: Option<u64>,
    ) -> LoadJob {
        let state = State::Head {
            head: Vec::new(),
            mapping: opts.mapping.cloned().map(Box::new),
            tz: opts.tz,
            format: opts.format,
            at_end: false,
        };
        LoadJob::start(loader, file, size.unwrap_or(0), state)
    }

    /// The next bytes of a source started with [`LoadJob::arriving`] (see there for errors).
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        match &mut self.state {
            State::Arrow(rows) => rows.append(chunk)?,
            State::Csv(st) => st.text.push(chunk)?,
            State::Head { head, .. } => {
                super::append_bytes(head, chunk)?;
                self.head_arrived(false)?;
            }
            _ => return Err(ReadError::NotATable("this load is not arriving".into())),
        }
        self.total = self.total.max(self.bytes_in());
        Ok(())
    }

    /// The source started with [`LoadJob::arriving`] is complete: an error when it was cut
    /// short or never held a schema.
    pub fn end(&mut self) -> Result<(), ReadError> {
        self.head_arrived(true)?;
        match &mut self.state {
            State::Arrow(rows) => rows.end()?,
            State::Csv(st) => st.text.end(),
            _ => {}
        }
        self.total = self.bytes_in();
        Ok(())
    }

    /// Reads the first bytes of an arriving source (all of it, if `ended`) once they tell
    /// how: an Arrow schema that is whole, a CSV header line; else, at the end, the whole
    /// source.
    fn head_arrived(&mut self, ended: bool) -> Result<(), ReadError> {
        let State::Head {
            head,
            mapping,
            tz,
            format,
            at_end,
        } = &mut self.state
        else {
            return Ok(());
        };
        // As `Format::detect` tells it from the whole source: Arrow's magic first, then the
        // name, then the content (given enough of it to tell JSON from NDJSON).
        let format = match *format {
            Some(f) => f,
            None if head.len() < 8 && !ended => return Ok(()),
            None if crate::arrow_ipc::is_arrow(head) => Format::Arrow,
            None => match Format::from_name(&self.file) {
                Some(f) => f,
                None if ended => Format::sniff(head),
                // Only CSV is read before the end; JSON against NDJSON may take more to tell.
                None if head.len() >= csv_text::HEAD_LINE_MAX
                    && Format::sniff(head) == Format::Csv =>
                {
                    Format::Csv
                }
                None => return Ok(()),
            },
        };
        let opts = LoadOptions {
            format: Some(format),
            mapping: mapping.as_deref(),
            tz: *tz,
            sheet: None,
        };
        match format {
            Format::Arrow if !ended => {
                if let Some(rows) = ArrowRows::open_head(head, opts.mapping, opts.tz)? {
                    self.schema_arrived(State::Arrow(Box::new(rows)))?;
                }
            }
            Format::Csv if csv_text::head_ready(head, ended) && !ended && !*at_end => {
                // A cube is read whole, at the end.
                if opts.mapping.is_none() && crate::cube::is_cube_csv(head) {
                    return Ok(());
                }
                check_head(head)?;
                let mut text = CsvText::new(std::mem::take(head), false);
                // A header not all in yet waits for more bytes; one that has not ended within
                // the first MiB, for the end (trying again for each chunk would read it over
                // and over).
                let Some(headers) = csv_header(&mut text) else {
                    *head = text.into_bytes();
                    *at_end = head.len() > csv_text::HEADER_MAX;
                    return Ok(());
                };
                let state = csv_state(text, &headers, &opts)?;
                self.schema_arrived(state)?;
            }
            _ if ended => {
                let bytes = std::mem::take(head);
                let file = self.file.clone();
                match open_whole(&self.loader, &file, bytes, format, &opts)? {
                    Whole::Cube(cube) => {
                        self.rows_done = cube.cells.len() as u64;
                        self.loader.cube(&file, cube);
                        self.state = State::Done;
                    }
                    Whole::Rows(state) => self.schema_arrived(state)?,
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// An arriving source's schema or header is known: `state` reads it from now on, if it
    /// may join what the loader holds (as [`LoadJob::with_loader`] admits a source before
    /// reading it).
    fn schema_arrived(&mut self, state: State) -> Result<(), ReadError> {
        let contacts = state.yields_contacts();
        self.loader.admit(&self.file, false, contacts)?;
        if contacts {
            self.loader.note_contact_source(&self.file);
        }
        self.state = state;
        Ok(())
    }

    /// True when the job has read every row that has arrived and waits for more bytes.
    pub fn waiting(&self) -> bool {
        match &self.state {
            State::Head { .. } => true,
            State::Arrow(rows) => rows.waiting(),
            State::Csv(st) => st.text.waiting(),
            _ => false,
        }
    }

    /// Bytes of an arriving source received so far.
    fn bytes_in(&self) -> u64 {
        match &self.state {
            State::Head { head, .. } => head.len() as u64,
            State::Arrow(rows) => rows.len_bytes(),
            State::Csv(st) => st.text.received(),
            _ => self.total,
        }
    }

    /// Reads everything left.
    pub fn run(&mut self) -> Progress {
        self.step(usize::MAX)
    }

    /// The loader, to add further sources or to finish.
    pub fn into_loader(self) -> Loader {
        self.loader
    }

    /// Finishes: sorts and indexes the dataset and hands it over.
    pub fn finish(self) -> crate::model::Dataset {
        self.loader.finish()
    }
}
