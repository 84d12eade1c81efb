//! Reading data in: value parsers, canonical validation, mappings of foreign exports, the
//! format readers (CSV, JSON, NDJSON, workbooks, Arrow IPC), the loader and the incremental
//! load job.
//!
//! Entry points: [`load_bytes`] (one source), [`load_many`] / [`load_into`] (several),
//! [`LoadJob`] (incremental, with [`Progress`]), [`suggest_mapping`] (for the mapping screen),
//! [`LoadReport::rejected_csv`](crate::report::LoadReport::rejected_csv) (the rejected rows).

#[cfg(test)]
pub(crate) mod arriving_check;
mod builder;
mod bytes;
pub mod canonical;
mod csv;
#[cfg(test)]
mod csv_arriving_tests;
mod csv_text;
#[cfg(test)]
mod csv_text_tests;
pub mod dates;
mod format;
mod job;
mod json;
mod load;
mod loader;
mod mapping;
mod rows;
pub mod stamp;
mod suggest;
mod synonyms;
pub mod tables;
pub mod values;
pub mod write;
#[cfg(feature = "xlsx")]
mod xlsx;

pub use self::csv::{detect_delimiter, read_contacts_csv};
pub use builder::{Record, RowBuilder};
pub use bytes::append_bytes;
pub use canonical::{
    contact_from_fields, contact_from_fields_with, RowError, ABANDON_UNKNOWN_CELL, CONTACT_FIELDS,
};
pub use csv_text::peek_csv;
pub use dates::{detect_date_order, DateOrder, DateOrderGuess};
pub use format::{detect_table, Format};
pub use job::{LoadJob, LoadOptions, Progress, Sheet};
pub use load::{load_bytes, load_into, load_many, options, SourceBytes, SourceError};
pub use loader::Loader;
pub use mapping::{BadClose, FieldMap, FieldSpec, Mapping, MappingError, Table, Transform};
pub(crate) use rows::join_raw;
pub use suggest::{suggest_mapping, Suggestion};
pub use synonyms::channel_synonym;
#[cfg(feature = "xlsx")]
pub use xlsx::read_sheet;

/// A source that could not be read as a table at all.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ReadError {
    /// Empty input.
    #[error("the file is empty")]
    Empty,
    /// An HTML page (an error page, a login page) where data was expected.
    #[error("this is an HTML page, not data (is the URL right?)")]
    Html,
    /// Binary content.
    #[error("this is a binary file, not a table")]
    Binary,
    /// Not parseable as a table.
    #[error("not a table: {0}")]
    NotATable(String),
    /// Columns are not the canonical ones; a mapping is needed.
    #[error(
        "the columns are not omnikpi's canonical ones (found: {found}); map them on the Data page"
    )]
    NotCanonical {
        /// The header that was found.
        found: String,
    },
    /// The mapping names columns the file does not have.
    #[error("the mapping needs column(s) {columns}, which the file lacks (found: {found})")]
    MissingColumns {
        /// The missing columns.
        columns: String,
        /// The header that was found.
        found: String,
    },
    /// A workbook without the requested sheet.
    #[error("the workbook has no sheet \"{sheet}\" (sheets: {found})")]
    NoSheet {
        /// The sheet asked for.
        sheet: String,
        /// The sheets there are.
        found: String,
    },
    /// The mapping is unusable.
    #[error("{0}")]
    Mapping(String),
    /// A cube CSV (docs/cube.md) that cannot be read; the message names the line and column.
    #[error("this cube could not be read: {0}")]
    Cube(crate::cube::CubeError),
    /// A cube loaded together with contact rows (from either side): the KPIs would mix
    /// pre-aggregated and raw contacts, so the load refuses it.
    #[error("the cube {cube} cannot be loaded together with the contact rows of {rows}: load either the cube or the rows")]
    CubeWithRows {
        /// The cube source.
        cube: String,
        /// The source of contact rows.
        rows: String,
    },
    /// A second cube (a dataset holds at most one).
    #[error("a cube ({first}) is already loaded; only one cube can be loaded at a time")]
    SecondCube {
        /// The cube loaded first.
        first: String,
    },
    /// An Arrow IPC source that is truncated, malformed or uses a feature the reader leaves
    /// out.
    #[error("{0}")]
    Arrow(Box<crate::arrow_ipc::ArrowError>),
    /// A source larger than one buffer of this machine's memory can hold.
    #[error("the source is too large to hold in memory here ({} MB and more)", bytes >> 20)]
    TooLarge {
        /// The bytes it would have taken.
        bytes: u64,
    },
}

impl From<crate::arrow_ipc::ArrowError> for ReadError {
    /// The table errors of an Arrow source are the ones any format gives (columns not
    /// canonical, a mapping that does not fit); the rest are [`ReadError::Arrow`].
    fn from(e: crate::arrow_ipc::ArrowError) -> ReadError {
        match e {
            crate::arrow_ipc::ArrowError::Table(e) => e,
            e => ReadError::Arrow(Box::new(e)),
        }
    }
}

/// [`check_is_table`] on the first 4 KiB of a source's bytes (read loosely as UTF-8).
pub fn check_head(bytes: &[u8]) -> Result<(), ReadError> {
    check_is_table(&String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]))
}

/// Rejects inputs that are no table at all, with one clear message.
pub fn check_is_table(text: &str) -> Result<(), ReadError> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.is_empty() {
        return Err(ReadError::Empty);
    }
    let head: String = t.chars().take(64).collect::<String>().to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<head")
        || head.starts_with("<body")
        || head.starts_with("<?xml")
    {
        return Err(ReadError::Html);
    }
    let control = t
        .bytes()
        .take(4096)
        .filter(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)))
        .count();
    if t.bytes().take(4096).any(|b| b == 0) || control > 8 {
        return Err(ReadError::Binary);
    }
    Ok(())
}
