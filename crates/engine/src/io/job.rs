//! An incremental load: the browser calls [`LoadJob::step`] with a row budget between frames
//! and draws a progress bar from the [`Progress`] it returns; [`super::load_bytes`] runs the
//! same job to the end in one go.

use super::builder::RowBuilder;
use super::format::{detect_table, Format};
use super::json::{keys_union, parse_json, parse_ndjson};
use super::loader::Loader;
use super::mapping::{Mapping, Table};
use super::rows::{csv_row, segment_row, CsvState, Rows, Segment};
use super::{check_is_table, detect_delimiter, ReadError};
use crate::arrow_ipc::ArrowRows;
use serde::Serialize;
use std::collections::VecDeque;
use std::io::Cursor;

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
    /// An Arrow IPC source arriving ([`LoadJob::arriving`]), before its schema is whole: its
    /// first bytes and how to read it.
    ArrowHead {
        head: Vec<u8>,
        mapping: Option<Box<Mapping>>,
        tz: crate::zone::Zone,
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
            State::ArrowHead { .. } | State::Done => false,
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

/// UTF-8 text of a source: the BOM dropped, and bytes that are not UTF-8 read as Latin-1.
fn to_utf8(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => s.into_bytes(),
        Err(e) => e
            .into_bytes()
            .iter()
            .map(|&b| b as char)
            .collect::<String>()
            .into_bytes(),
    }
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
        if !matches!(format, Format::Xlsx | Format::Arrow) {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned();
            check_is_table(&head)?;
        } else if bytes.is_empty() {
            return Err(ReadError::Empty);
        }
        if format == Format::Csv && opts.mapping.is_none() && crate::cube::is_cube_csv(&bytes) {
            loader.admit(file, true, false)?;
            let cube = crate::cube::Cube::from_csv(&bytes).map_err(ReadError::Cube)?;
            let rows = cube.cells.len() as u64;
            let mut job = LoadJob::start(loader, file, total, State::Done);
            job.loader.cube(file, cube);
            job.rows_done = rows;
            return Ok(job);
        }
        let state = match format {
            Format::Csv => {
                let bytes = to_utf8(bytes);
                let text_len = bytes.len() as u64;
                let head = String::from_utf8_lossy(&bytes[..bytes.len().min(65_536)]);
                let delimiter = detect_delimiter(&head);
                let mut rdr = csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .flexible(true)
                    .from_reader(Cursor::new(bytes));
                let headers: Vec<String> = rdr
                    .headers()
                    .map_err(|e| ReadError::NotATable(e.to_string()))?
                    .iter()
                    .map(|h| h.trim().to_string())
                    .collect();
                let builder = builder_for(&headers, None, opts)?;
                State::Csv(Box::new(CsvState {
                    rdr,
                    builder,
                    n_headers: headers.len(),
                    delimiter,
                    rec: csv::StringRecord::new(),
                    text_len,
                }))
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
                    if headers.is_empty()
                        && items.iter().all(|(_, v)| v.is_err())
                        && table.is_none()
                    {
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
            Format::Arrow => State::Arrow(Box::new(crate::arrow_ipc::ArrowRows::open(
                bytes,
                opts.mapping,
                opts.tz,
            )?)),
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
        loader.admit(file, false, state.yields_contacts())?;
        Ok(LoadJob::start(loader, file, total, state))
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
                if !csv_row(st, file, loader) {
                    break true;
                }
                n += 1;
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
            State::ArrowHead { .. } => false,
            State::Done => true,
        };
        self.rows_done = start + n as u64;
        let bytes_done = match &self.state {
            _ if done => self.total,
            State::Csv(st) => {
                let pos = st.rdr.position().byte().min(st.text_len);
                (self.total as u128 * pos as u128 / st.text_len.max(1) as u128) as u64
            }
            State::Segments { rows_total, .. } => {
                self.total * self.rows_done / (*rows_total).max(1)
            }
            State::Done => self.total,
            State::ArrowHead { .. } => 0,
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

    /// Starts reading an Arrow IPC file or stream named `file` that is still arriving (a
    /// download), into the dataset `loader` holds, taking its content like
    /// [`LoadJob::with_loader`]. Give it the bytes with [`LoadJob::feed`] as they come and
    /// [`LoadJob::end`] after the last; [`LoadJob::step`] reads the rows of the batches that
    /// have arrived, and [`LoadJob::waiting`] tells when it needs more bytes. `size`, when
    /// known, is the source's size (for the progress). The job holds only the bytes not read
    /// yet, not the whole source.
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
        let state = State::ArrowHead {
            head: Vec::new(),
            mapping: opts.mapping.cloned().map(Box::new),
            tz: opts.tz,
        };
        LoadJob::start(loader, file, size.unwrap_or(0), state)
    }

    /// The next bytes of a source started with [`LoadJob::arriving`] (see there for errors).
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        match &mut self.state {
            State::Arrow(rows) => rows.append(chunk)?,
            State::ArrowHead { head, mapping, tz } => {
                super::append_bytes(head, chunk)?;
                let Some(rows) = ArrowRows::open_head(head, mapping.as_deref(), *tz)? else {
                    return Ok(());
                };
                self.schema_arrived(rows)?;
            }
            _ => return Err(ReadError::NotATable("this load is not arriving".into())),
        }
        self.total = self.total.max(self.bytes_in());
        Ok(())
    }

    /// The source started with [`LoadJob::arriving`] is complete: an error when it was cut
    /// short or never held a schema.
    pub fn end(&mut self) -> Result<(), ReadError> {
        if let State::ArrowHead { head, mapping, tz } = &mut self.state {
            // Never whole: read as a complete source, for the error it gives.
            let bytes = std::mem::take(head);
            let rows = ArrowRows::open(bytes, mapping.as_deref(), *tz)?;
            self.schema_arrived(rows)?;
        }
        if let State::Arrow(rows) = &mut self.state {
            rows.end()?;
        }
        self.total = self.bytes_in();
        Ok(())
    }

    /// An arriving source's schema is known: `rows` reads it from now on, if it may join what
    /// the loader holds (as [`LoadJob::with_loader`] admits a source before reading it).
    fn schema_arrived(&mut self, rows: ArrowRows) -> Result<(), ReadError> {
        let contacts = rows.yields_contacts();
        self.loader.admit(&self.file, false, contacts)?;
        if contacts {
            self.loader.note_contact_source(&self.file);
        }
        self.state = State::Arrow(Box::new(rows));
        Ok(())
    }

    /// True when the job has read every row that has arrived and waits for more bytes.
    pub fn waiting(&self) -> bool {
        match &self.state {
            State::ArrowHead { .. } => true,
            State::Arrow(rows) => rows.waiting(),
            _ => false,
        }
    }

    /// Bytes of an arriving source received so far.
    fn bytes_in(&self) -> u64 {
        match &self.state {
            State::ArrowHead { head, .. } => head.len() as u64,
            State::Arrow(rows) => rows.len_bytes(),
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
